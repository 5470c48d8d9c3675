import { scrubFields, scrubText } from './log-scrub.js';

describe('scrubText', () => {
  it.each([
    ['dialled +1 415-555-0134 twice', 'dialled ***34 twice'],
    ['caller 13812345678 opted out', 'caller ***78 opted out'],
    ['(020) 7946 0958', '***58'],
    ['GET /v1/opt-outs?phone=%2B14155550134', 'GET /v1/opt-outs?phone=%2B***34'],
    ['Authorization: Bearer ess_abcdefghijklmnop', 'Authorization: Bearer [redacted]'],
    ['key esk_AbCdEf0123456789xyz leaked', 'key esk_[redacted] leaked'],
  ])('masks %j', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it.each([
    'call 3f2a9b1c-1234-4567-8901-123456789012 done',
    'effective 2026-12-06T06:04:04.123Z',
    'took 1234 ms, attempt 3/5',
    'sha256=5bdc34e98d47fd74c3e84b037573e769fd42069df4a1234560bbec9c597143',
  ])('keeps ids, dates and small numbers: %j', (input) => {
    expect(scrubText(input)).toBe(input);
  });
});

describe('scrubFields', () => {
  it('redacts secret keys at any depth and scrubs strings, keeping ids', () => {
    const record = {
      callId: '3f2a9b1c-1234-4567-8901-123456789012',
      body: { password: 'hunter2', metadata: { customerPhone: '+14155550134', note: 'ring 4155550134' } },
      segments: [{ text: 'guaranteed returns' }],
      headers: { authorization: 'Bearer x', cookie: 'earshot_session=ess_x' },
    };
    expect(scrubFields(record)).toEqual({
      callId: '3f2a9b1c-1234-4567-8901-123456789012',
      body: { password: '[redacted]', metadata: { customerPhone: '[redacted]', note: 'ring ***34' } },
      segments: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
    });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(scrubFields(a)).toEqual({ name: 'a', self: '[…]' });
  });
});
