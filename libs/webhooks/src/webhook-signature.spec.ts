import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'a-secret-of-sixteen+';
const BODY = '{"id":"evt-1","type":"opt_out.created"}';

describe('webhook signatures', () => {
  const header = signWebhook(SECRET, BODY, 1_700_000_000);

  it('is HMAC-SHA256 over "<t>.<body>", deterministic for a timestamp', () => {
    expect(header).toBe('t=1700000000,v1=6f5ab342dcf47b6a6ab27eff6e8832d329d8ae076152129090d81e6d674ce9ac');
    expect(signWebhook(SECRET, BODY, 1_700_000_000)).toBe(header);
    expect(signWebhook(SECRET, BODY, 1_700_000_001)).not.toBe(header);
  });

  it.each([
    ['the right secret and body', SECRET, header, BODY, 1_700_000_100, true],
    ['a changed body', SECRET, header, `${BODY} `, 1_700_000_100, false],
    ['another secret', 'another-secret-of-16', header, BODY, 1_700_000_100, false],
    ['a stale timestamp (replay)', SECRET, header, BODY, 1_700_000_000 + 301, false],
    ['no header', SECRET, undefined, BODY, 1_700_000_100, false],
    ['a malformed header', SECRET, 't=abc,v1=zz', BODY, 1_700_000_100, false],
  ])('verifies %s -> %s', (_name, secret, given, body, now, ok) => {
    expect(verifyWebhookSignature(secret, given, body, { nowSeconds: now })).toBe(ok);
  });
});
