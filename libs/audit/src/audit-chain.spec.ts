import { AuditChainVerifier, type ChainedAuditEntry, GENESIS_HASH, hashAuditEntry } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';

function chain(count: number): ChainedAuditEntry[] {
  const entries: ChainedAuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const content = {
      at: new Date(Date.UTC(2026, 11, 1, 0, 0, i)),
      actor: `lead-${i % 2}`,
      action: 'finding.reviewed',
      entityType: 'finding',
      entityId: `f${i}`,
      details: { decision: i % 2 ? 'confirmed' : 'dismissed', n: i },
    };
    const hash = hashAuditEntry(prevHash, content);
    entries.push({ id: BigInt(i), prevHash, hash, ...content });
    prevHash = hash;
  }
  return entries;
}

function verify(entries: ChainedAuditEntry[]) {
  const verifier = new AuditChainVerifier();
  for (const entry of entries) verifier.push(entry);
  return { checked: verifier.entriesChecked, broken: verifier.firstBreak };
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ z: { y: 2, x: 1 }, skipped: undefined }, '{"z":{"x":1,"y":2}}'],
    ['é "q"', '"é \\"q\\""'],
    [[], '[]'],
  ])('%j -> %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('gives the same string whatever the key order', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/NaN/);
  });
});

describe('AuditChainVerifier', () => {
  it('accepts an intact chain and counts its entries', () => {
    expect(verify(chain(5))).toEqual({ checked: 5, broken: null });
    expect(verify([])).toEqual({ checked: 0, broken: null });
  });

  it('hashes the details canonically, so a jsonb key reorder is not a break', () => {
    const entries = chain(2);
    const [first] = entries;
    if (!first) throw new Error('no entry');
    first.details = { n: 1, decision: 'confirmed' };
    expect(verify(entries).broken).toBeNull();
  });

  const cases: [string, (entries: ChainedAuditEntry[]) => ChainedAuditEntry[], bigint, RegExp][] = [
    ['an altered actor', (e) => e.map((x) => (x.id === 3n ? { ...x, actor: 'mallory' } : x)), 3n, /altered/],
    ['altered details', (e) => e.map((x) => (x.id === 2n ? { ...x, details: { decision: 'confirmed', n: 2 } } : x)), 2n, /altered/],
    ['an altered time', (e) => e.map((x) => (x.id === 4n ? { ...x, at: new Date(x.at.getTime() + 1) } : x)), 4n, /altered/],
    ['a removed entry', (e) => e.filter((x) => x.id !== 3n), 4n, /removed/],
    ['a removed first entry', (e) => e.slice(1), 2n, /genesis/],
    [
      'an altered entry whose hash was recomputed',
      (e) =>
        e.map((x) => (x.id === 2n ? { ...x, actor: 'mallory', hash: hashAuditEntry(x.prevHash, { ...x, actor: 'mallory' }) } : x)),
      3n,
      /prevHash/,
    ],
    ['two swapped entries', (e) => [e[0], e[2], e[1], e[3], e[4]].filter((x) => x !== undefined), 3n, /reordered/],
  ];

  it.each(cases)('names the first broken entry after %s', (_name, tamper, id, reason) => {
    const { broken } = verify(tamper(chain(5)));
    expect(broken?.firstBrokenId).toBe(id);
    expect(broken?.reason).toMatch(reason);
  });

  it('keeps the first break once found', () => {
    const entries = chain(5).map((x) => (x.id === 2n || x.id === 4n ? { ...x, actor: 'mallory' } : x));
    const verifier = new AuditChainVerifier();
    const results = entries.map((entry) => verifier.push(entry));
    expect(results.map((r) => r?.firstBrokenId ?? null)).toEqual([null, 2n, 2n, 2n, 2n]);
    expect(verifier.entriesChecked).toBe(1);
  });
});

describe('keyed entries (hash version 2)', () => {
  const KEY = 'k'.repeat(32);

  /** `unkeyed` sha256 entries, then keyed ones. */
  function mixed(unkeyed: number, keyed: number): ChainedAuditEntry[] {
    const entries: ChainedAuditEntry[] = [];
    let prevHash = GENESIS_HASH;
    for (let i = 1; i <= unkeyed + keyed; i++) {
      const content = { at: new Date(Date.UTC(2026, 11, 6, 0, 0, i)), actor: 'a', action: 'x', entityType: 'call', entityId: `c${i}`, details: null };
      const hashVersion = i > unkeyed ? 2 : 1;
      const hash = hashAuditEntry(prevHash, content, hashVersion === 2 ? KEY : undefined);
      entries.push({ id: BigInt(i), prevHash, hash, hashVersion, ...content });
      prevHash = hash;
    }
    return entries;
  }

  function verifyWith(entries: ChainedAuditEntry[], key?: string) {
    const verifier = new AuditChainVerifier(key);
    for (const entry of entries) verifier.push(entry);
    return verifier.firstBreak;
  }

  it('verifies entries written before the key and after it', () => {
    expect(verifyWith(mixed(2, 3), KEY)).toBeNull();
    expect(hashAuditEntry(GENESIS_HASH, mixed(0, 1)[0] as ChainedAuditEntry, KEY)).not.toBe(hashAuditEntry(GENESIS_HASH, mixed(0, 1)[0] as ChainedAuditEntry));
  });

  it('cannot verify keyed entries without the key, or with another one', () => {
    expect(verifyWith(mixed(1, 2))?.reason).toMatch(/AUDIT_CHAIN_KEY is needed/);
    expect(verifyWith(mixed(1, 2), 'another key of thirty-two characters')).toMatchObject({ firstBrokenId: 2n, reason: expect.stringMatching(/altered/) });
  });

  it.each([
    ['re-hashed with sha256 under version 2', 2, 4n, /altered/],
    ['re-hashed with sha256 and marked unkeyed', 1, 4n, /unkeyed entry after keyed/],
  ])('names the rewritten entry when it was %s', (_name, version, id, reason) => {
    const entries = mixed(2, 4);
    let prevHash = (entries[2] as ChainedAuditEntry).hash;
    const tampered = entries.map((entry) => {
      if (entry.id < 4n) return entry;
      const content = { ...entry, actor: entry.id === 4n ? 'mallory' : entry.actor, prevHash };
      const hash = hashAuditEntry(prevHash, content);
      prevHash = hash;
      return { ...content, hash, hashVersion: version };
    });
    expect(verifyWith(tampered, KEY)).toMatchObject({ firstBrokenId: id, reason: expect.stringMatching(reason) });
  });
});
