import type { TranscriptSegment } from '#libs/domain';
import { REDACTION_KINDS } from './sensitive-text.js';
import { REDACTION_RULES_VERSION, redactTranscript, redactionIsCurrent, totalRedactions } from './transcript-redaction.js';

const cardWithWords: TranscriptSegment = {
  speaker: 'customer',
  start: 10,
  end: 14,
  text: 'My card is 4111 1111 1111 1111.',
  words: [
    { w: 'My', start: 10, end: 10.2 },
    { w: 'card', start: 10.2, end: 10.5 },
    { w: 'is', start: 10.5, end: 10.7 },
    { w: '4111', start: 11, end: 11.6 },
    { w: '1111', start: 11.7, end: 12.3 },
    { w: '1111', start: 12.4, end: 13 },
    { w: '1111.', start: 13.1, end: 13.8 },
  ],
};

describe('redactTranscript', () => {
  it('times a match by the words that overlap it, padded, and redacts the words too', () => {
    const result = redactTranscript([cardWithWords]);
    expect(result.matches).toEqual([
      { kind: 'card', segmentIndex: 0, charStart: 11, charEnd: 30, startSeconds: 10.85, endSeconds: expect.closeTo(13.95, 6), timing: 'words' },
    ]);
    expect(result.redaction).toEqual({ counts: { card: 1, national_id: 0, email: 0, bank_account: 0, phone: 0, name: 0, address: 0, date_of_birth: 0 }, audioSpans: [{ start: 10.85, end: 13.95 }], rules: REDACTION_RULES_VERSION, kinds: REDACTION_KINDS });
    expect(result.segments[0]).toEqual({
      speaker: 'customer',
      start: 10,
      end: 14,
      text: 'My card is [CARD].',
      words: [
        { w: 'My', start: 10, end: 10.2 },
        { w: 'card', start: 10.2, end: 10.5 },
        { w: 'is', start: 10.5, end: 10.7 },
        { w: '[CARD]', start: 11, end: 13.8 },
      ],
    });
    expect(JSON.stringify(result.segments)).not.toContain('1111');
  });

  it('estimates a span from the text position when there are no words, padded and clamped to the segment', () => {
    // weights: "email " = 6, "dana@example.com" = 4+2+11 = 17 ('@' counts 2), " thanks" = 7 -> 30 in all
    const segment: TranscriptSegment = { speaker: 'customer', start: 20, end: 23, text: 'email dana@example.com thanks' };
    const [match] = redactTranscript([segment]).matches;
    expect(match).toMatchObject({ kind: 'email', charStart: 6, charEnd: 22, timing: 'estimate' });
    expect(match?.startSeconds).toBeCloseTo(20 + (3 * 6) / 30 - 0.25, 6);
    expect(match?.endSeconds).toBeCloseTo(20 + (3 * 23) / 30 + 0.25, 6);
    const atEdge = redactTranscript([{ speaker: 'agent', start: 5, end: 6, text: 'dana@example.com' }]).matches[0];
    expect(atEdge).toMatchObject({ startSeconds: 5, endSeconds: 6 });
  });

  it('weighs digits and Chinese characters as syllables when estimating in Chinese text', () => {
    // 身份证号是 (5 chars, weight 15), the id (18 chars, weight 3*17 + 1 for X = 52), 对 (3): 70 in all, over 7 s
    const segment: TranscriptSegment = { speaker: 'customer', start: 0, end: 7, text: '身份证号是11010519491231002X对' };
    const result = redactTranscript([segment], { estimatePadSeconds: 0 });
    expect(result.segments[0]?.text).toBe('身份证号是[NATIONAL_ID]对');
    expect(result.matches[0]).toMatchObject({ kind: 'national_id', charStart: 5, charEnd: 23 });
    expect(result.matches[0]?.startSeconds).toBeCloseTo(1.5, 6);
    expect(result.matches[0]?.endSeconds).toBeCloseTo(6.7, 6);
  });

  it('counts every kind across segments and merges overlapping spans', () => {
    const segments: TranscriptSegment[] = [
      { speaker: 'agent', start: 0, end: 3, text: 'Thanks for calling.' },
      { speaker: 'customer', start: 3, end: 6, text: 'card 4111111111111111 and dana@example.com' },
      { speaker: 'customer', start: 6, end: 9, text: '我的账号是12345678，身份证11010519491231002X' },
    ];
    const result = redactTranscript(segments);
    expect(result.redaction.counts).toEqual({ card: 1, national_id: 1, email: 1, bank_account: 1, phone: 0, name: 0, address: 0, date_of_birth: 0 });
    expect(totalRedactions(result.redaction.counts)).toBe(4);
    expect(result.matches.map((m) => [m.segmentIndex, m.kind])).toEqual([
      [1, 'card'],
      [1, 'email'],
      [2, 'bank_account'],
      [2, 'national_id'],
    ]);
    // Segment 1: the card and the email, padded, overlap and fill the segment. Segment 2 (weights: 15 before the
    // account, 24 for it, 10 up to the id, 52 for it: 101 over 3 s): the account's and the id's spans overlap once
    // padded; the first starts 15/101 of 3 s in, minus the pad (6.1955, rounded down to the millisecond).
    expect(result.redaction.audioSpans).toEqual([
      { start: 3, end: 6 },
      { start: 6.195, end: 9 },
    ]);
    expect(result.segments[0]).toBe(segments[0]);
  });

  it('keeps separate spans apart and sorted', () => {
    const segments: TranscriptSegment[] = [
      { speaker: 'customer', start: 30, end: 32, text: 'a@b.cn' },
      { speaker: 'customer', start: 2, end: 4, text: 'c@d.cn' },
    ];
    expect(redactTranscript(segments).redaction.audioSpans).toEqual([
      { start: 2, end: 4 },
      { start: 30, end: 32 },
    ]);
  });

  it('also mutes the estimate, and drops the words, when the words do not cover the match', () => {
    const segment: TranscriptSegment = {
      speaker: 'customer',
      start: 10,
      end: 14,
      text: 'My card is 4111 1111 1111 1111.',
      // the ASR's words spell the digits differently from the text: only "4111" can be placed
      words: [
        { w: 'My', start: 10, end: 10.2 },
        { w: 'card', start: 10.2, end: 10.5 },
        { w: 'is', start: 10.5, end: 10.7 },
        { w: '4111', start: 11, end: 11.6 },
        { w: 'one-one-one-one', start: 11.7, end: 13.8 },
      ],
    };
    const result = redactTranscript([segment]);
    expect(result.matches[0]?.timing).toBe('words');
    // words alone would end at 11.75; the estimate reaches the segment's end
    expect(result.matches[0]?.endSeconds).toBeGreaterThan(13.5);
    expect(result.segments[0]?.words).toBeUndefined();
    expect(result.segments[0]?.text).toBe('My card is [CARD].');
  });

  it('leaves a transcript without sensitive text as it was', () => {
    const segments: TranscriptSegment[] = [{ speaker: 'agent', start: 0, end: 2, text: 'Order 4111111111111112 ships on 2026-12-01.' }];
    const result = redactTranscript(segments);
    expect(result.segments[0]).toBe(segments[0]);
    expect(result.redaction).toEqual({ counts: { card: 0, national_id: 0, email: 0, bank_account: 0, phone: 0, name: 0, address: 0, date_of_birth: 0 }, audioSpans: [], rules: REDACTION_RULES_VERSION, kinds: REDACTION_KINDS });
  });

  it('finds a number split across segments of one speaker, cuts it per segment, counts it once and mutes each part by its words', () => {
    const segments: TranscriptSegment[] = [
      {
        speaker: 'customer',
        start: 0,
        end: 3,
        text: 'it is four one one one, one one one one,',
        words: ['it', 'is', 'four', 'one', 'one', 'one,', 'one', 'one', 'one', 'one,'].map((w, i) => ({ w, start: i * 0.3, end: i * 0.3 + 0.25 })),
      },
      { speaker: 'agent', start: 3, end: 4, text: 'mhm' },
      {
        speaker: 'customer',
        start: 4,
        end: 7,
        text: 'one one one one, one one one one',
        words: ['one', 'one', 'one', 'one,', 'one', 'one', 'one', 'one'].map((w, i) => ({ w, start: 4 + i * 0.3, end: 4 + i * 0.3 + 0.25 })),
      },
    ];
    // the agent's "mhm" ends the customer's turn: the two halves are not one number
    expect(redactTranscript(segments).redaction.counts.card).toBe(0);
    const oneTurn = [segments[0]!, segments[2]!];
    const result = redactTranscript(oneTurn);
    expect(result.redaction.counts).toMatchObject({ card: 1 });
    expect(totalRedactions(result.redaction.counts)).toBe(1);
    expect(result.segments.map((s) => s.text)).toEqual(['it is [CARD]', '[CARD]']);
    expect(result.matches.map((m) => [m.segmentIndex, m.timing])).toEqual([
      [0, 'words'],
      [1, 'words'],
    ]);
    // first part: words 3..10 (0.6 s to 2.95 s) padded by 0.15 s; second: all its words (4 s to 6.35 s), padded
    expect(result.redaction.audioSpans).toEqual([
      { start: 0.45, end: 3.1 },
      { start: 3.85, end: 6.5 },
    ]);
    expect(JSON.stringify(result.segments)).not.toMatch(/one/);
  });

  it('stamps the rules version and kinds, and says when a stored redaction is stale', () => {
    const { redaction } = redactTranscript([cardWithWords], { kinds: ['phone', 'card'] });
    expect(redaction).toMatchObject({ rules: REDACTION_RULES_VERSION, kinds: ['card', 'phone'] });
    expect(redactionIsCurrent(redaction, ['card', 'phone'])).toBe(true);
    expect(redactionIsCurrent(redaction, ['card'])).toBe(false);
    expect(redactionIsCurrent({ rules: REDACTION_RULES_VERSION - 1, kinds: ['card', 'phone'] }, ['card', 'phone'])).toBe(false);
    expect(redactionIsCurrent({}, ['card', 'phone'])).toBe(false);
  });

  it('redacts only the kinds asked for', () => {
    const segments: TranscriptSegment[] = [{ speaker: 'agent', start: 0, end: 4, text: 'Hi, this is Dana speaking. Your card 4111 1111 1111 1111?' }];
    const onlyCards = redactTranscript(segments, { kinds: ['card'] });
    expect(onlyCards.segments[0]?.text).toBe('Hi, this is Dana speaking. Your card [CARD]?');
    expect(onlyCards.redaction.counts).toMatchObject({ card: 1, name: 0 });
    expect(redactTranscript(segments).segments[0]?.text).toBe('Hi, this is [NAME] speaking. Your card [CARD]?');
  });

  it("reads an answer through the other speaker's question and mutes it by its words", () => {
    const segments: TranscriptSegment[] = [
      { speaker: 'agent', start: 0, end: 2, text: 'And your date of birth?' },
      {
        speaker: 'customer',
        start: 2.5,
        end: 5,
        text: 'March third, nineteen eighty five.',
        words: ['March', 'third,', 'nineteen', 'eighty', 'five.'].map((w, i) => ({ w, start: 2.5 + i * 0.5, end: 2.9 + i * 0.5 })),
      },
      { speaker: 'agent', start: 5.5, end: 7, text: 'Thanks. It was March third when you called?' },
    ];
    const result = redactTranscript(segments);
    expect(result.segments.map((s) => s.text)).toEqual(['And your date of birth?', '[DOB].', 'Thanks. It was March third when you called?']);
    expect(result.redaction.counts).toMatchObject({ date_of_birth: 1 });
    expect(result.redaction.audioSpans).toEqual([{ start: 2.35, end: 5.05 }]);
  });

  it('finds Chinese spoken digits split across two segments of one turn', () => {
    const segments: TranscriptSegment[] = [
      { speaker: 'customer', start: 0, end: 2, text: '我的手机号是幺三八' },
      { speaker: 'customer', start: 2.2, end: 4, text: '幺二三四五六七八，好的' },
    ];
    const result = redactTranscript(segments);
    expect(result.segments.map((s) => s.text)).toEqual(['我的手机号是[PHONE]', '[PHONE]，好的']);
    expect(result.redaction.counts).toMatchObject({ phone: 1 });
    expect(result.matches.map((m) => [m.segmentIndex, m.timing])).toEqual([
      [0, 'estimate'],
      [1, 'estimate'],
    ]);
  });
});
