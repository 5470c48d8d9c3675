import { parseOptOutCsv } from './opt-out-csv.js';
import { normalisePhone } from './phone-number.js';

describe('normalisePhone', () => {
  it.each([
    ['+1 (415) 555-0123', undefined, '+14155550123'],
    ['415-555-0123', 'US', '+14155550123'],
    ['138 1234 5678', 'CN', '+8613812345678'],
    ['+44 7911 123456', undefined, '+447911123456'],
  ])('%s (%s) -> %s', (raw, country, e164) => {
    expect(normalisePhone(raw, country)).toMatchObject({ ok: true, e164 });
  });

  it.each([['12'], ['hello'], ['+1 555'], ['']])('rejects %j', (raw) => {
    expect(normalisePhone(raw).ok).toBe(false);
  });
});

describe('parseOptOutCsv', () => {
  it('normalises numbers, keeps source and effective time, and names the line and column of each bad row', () => {
    const csv = [
      'Phone,Country,Source,Effective At,Evidence',
      '+1 415 555 0123,,,2026-11-01T00:00:00Z,crm export',
      '138 1234 5678,CN,sms_unsubscribe,,',
      'not-a-number,,,,',
      '+447911123456,,carrier,,',
      '+447911123457,,,yesterday,',
    ].join('\n');
    const result = parseOptOutCsv(csv);
    expect(result.rows).toEqual([
      { phone: '+14155550123', source: 'import', effectiveAt: new Date('2026-11-01T00:00:00Z'), evidence: 'crm export' },
      { phone: '+8613812345678', source: 'sms_unsubscribe' },
    ]);
    expect(result.errors).toHaveLength(3);
    expect(result.errors[0]).toMatch(/^line 4: phone:/);
    expect(result.errors[1]).toMatch(/^line 5: source:/);
    expect(result.errors[2]).toMatch(/^line 6: effective_at:/);
  });

  it('requires a phone column', () => {
    expect(parseOptOutCsv('name\nbob\n').errors[0]).toMatch(/^header: a "phone" column is required/);
  });
});
