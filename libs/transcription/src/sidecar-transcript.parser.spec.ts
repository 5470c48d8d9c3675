import { InvalidTranscriptError } from './invalid-transcript.error.js';
import { parseSidecarTranscript } from './sidecar-transcript.parser.js';

const earshot = {
  format: 'earshot.transcript.v1',
  language: 'zh',
  segments: [
    { speaker: 'agent', start: 0.4, end: 3.1, text: '您好，这里是安心证券，本次通话将被录音。', words: [{ w: '您好', start: 0.4, end: 0.9, confidence: 0.98 }] },
    { speaker: 'customer', start: 3.3, end: 4.0, text: 'Hello, yes.' },
  ],
};

const aws = {
  jobName: 'call-1',
  results: {
    language_code: 'en-US',
    transcripts: [{ transcript: 'Thanks for calling. Hi there.' }],
    channel_labels: {
      number_of_channels: 2,
      channels: [
        { channel_label: 'ch_0', items: [
          { start_time: '0.5', end_time: '0.9', type: 'pronunciation', alternatives: [{ confidence: '0.99', content: 'Thanks' }] },
          { start_time: '0.9', end_time: '1.0', type: 'pronunciation', alternatives: [{ confidence: '0.98', content: 'for' }] },
          { start_time: '1.0', end_time: '1.5', type: 'pronunciation', alternatives: [{ confidence: '0.97', content: 'calling' }] },
          { type: 'punctuation', alternatives: [{ confidence: '0.0', content: '.' }] },
        ] },
        { channel_label: 'ch_1', items: [
          { start_time: '2.0', end_time: '2.3', type: 'pronunciation', alternatives: [{ confidence: '0.9', content: 'Hi' }] },
          { start_time: '2.3', end_time: '2.7', type: 'pronunciation', alternatives: [{ confidence: '0.9', content: 'there' }] },
        ] },
      ],
    },
    items: [],
  },
  status: 'COMPLETED',
};

const awsSpeakers = {
  results: {
    transcripts: [{ transcript: '你好 请问' }],
    speaker_labels: { speakers: 2, segments: [
      { start_time: '0.0', end_time: '1.0', speaker_label: 'spk_0', items: [{ start_time: '0.1', end_time: '0.5', speaker_label: 'spk_0' }, { start_time: '0.5', end_time: '0.9', speaker_label: 'spk_0' }] },
      { start_time: '1.2', end_time: '2.0', speaker_label: 'spk_1', items: [{ start_time: '1.3', end_time: '1.8', speaker_label: 'spk_1' }] },
    ] },
    items: [
      { start_time: '0.1', end_time: '0.5', type: 'pronunciation', alternatives: [{ confidence: '0.9', content: '你好' }] },
      { start_time: '0.5', end_time: '0.9', type: 'pronunciation', alternatives: [{ confidence: '0.9', content: '请问' }] },
      { type: 'punctuation', alternatives: [{ content: '，' }] },
      { start_time: '1.3', end_time: '1.8', type: 'pronunciation', alternatives: [{ confidence: '0.9', content: 'OK' }] },
    ],
  },
};

const analytics = {
  JobStatus: 'COMPLETED', LanguageCode: 'en-US',
  Transcript: [
    { ParticipantRole: 'AGENT', Content: 'Thank you for calling Acme.', BeginOffsetMillis: 100, EndOffsetMillis: 2100 },
    { ParticipantRole: 'CUSTOMER', Content: 'I want to cancel.', BeginOffsetMillis: 2500, EndOffsetMillis: 4000 },
  ],
};

const vtt = `WEBVTT

NOTE exported by the dialer

1
00:00:00.500 --> 00:00:02.000
<v Agent>Thank you for calling, this is Ann.</v>

00:00:02.500 --> 00:00:04.000
<v.loud 客户>我想了解一下产品</v>

00:00:04.200 --> 00:00:05.000
Note: not a speaker tag
`;

const srt = `1
00:00:01,000 --> 00:00:02,500
坐席：您好，请问是王先生吗？

2
00:00:03,000 --> 00:00:04,000
[Customer] Yes, speaking.
`;

describe('parseSidecarTranscript', () => {
  it('Earshot JSON round-trips Chinese and English with words', () => {
    const t = parseSidecarTranscript(Buffer.from(JSON.stringify(earshot)), { filename: 'call.json' });
    expect(t).toMatchObject({ provider: 'sidecar', language: 'zh', rolesSource: 'sidecar', rolesConfidence: 1 });
    expect(t.segments).toEqual(earshot.segments);
  });

  it('AWS Transcribe channel identification: ch_0 is left, mapped by the agent channel', () => {
    const left = parseSidecarTranscript(JSON.stringify(aws), { agentChannel: 'left' });
    expect(left.segments.map((s) => [s.speaker, s.text, s.start, s.end])).toEqual([
      ['agent', 'Thanks for calling.', 0.5, 1.5],
      ['customer', 'Hi there', 2.0, 2.7],
    ]);
    expect(left.segments[0].words?.[0]).toEqual({ w: 'Thanks', start: 0.5, end: 0.9, confidence: 0.99 });
    expect(left.language).toBe('en');
    expect(parseSidecarTranscript(JSON.stringify(aws), { agentChannel: 'right' }).segments[0].speaker).toBe('customer');
    const noHint = parseSidecarTranscript(JSON.stringify(aws));
    expect(noHint.rolesSource).toBe('none');
    expect(noHint.segments.every((s) => s.speaker === 'unknown')).toBe(true);
  });

  it('AWS Transcribe speaker labels: roles through the speaker map, Chinese joined without spaces', () => {
    const t = parseSidecarTranscript(JSON.stringify(awsSpeakers), { speakerMap: { spk_0: 'agent', spk_1: 'customer' } });
    expect(t.segments.map((s) => [s.speaker, s.text])).toEqual([['agent', '你好请问，'], ['customer', 'OK']]);
  });

  it('AWS Call Analytics: ParticipantRole gives exact roles', () => {
    const t = parseSidecarTranscript(JSON.stringify(analytics));
    expect(t.segments.map((s) => [s.speaker, s.start, s.end])).toEqual([['agent', 0.1, 2.1], ['customer', 2.5, 4]]);
    expect(t.model).toBe('aws-transcribe-call-analytics');
  });

  it('WebVTT voice tags (English and Chinese names); a colon in speech is not a tag', () => {
    const t = parseSidecarTranscript(vtt, { filename: 'call.vtt' });
    expect(t.segments.map((s) => [s.speaker, s.start, s.end, s.text])).toEqual([
      ['agent', 0.5, 2, 'Thank you for calling, this is Ann.'],
      ['customer', 2.5, 4, '我想了解一下产品'],
      ['unknown', 4.2, 5, 'Note: not a speaker tag'],
    ]);
    expect(t.rolesSource).toBe('sidecar');
  });

  it('SRT with prefix tags (full-width colon, brackets) and CRLF line ends', () => {
    const t = parseSidecarTranscript(Buffer.from('\uFEFF' + srt.replace(/\n/g, '\r\n')));
    expect(t.segments.map((s) => [s.speaker, s.start, s.text])).toEqual([
      ['agent', 1, '您好，请问是王先生吗？'],
      ['customer', 3, 'Yes, speaking.'],
    ]);
  });

  it.each([
    ['not JSON', '{"segments": [', /not valid JSON/],
    ['unknown speaker role', JSON.stringify({ segments: [{ speaker: 'boss', start: 0, end: 1, text: 'x' }] }), /segments\.0\.speaker/],
    ['end before start', JSON.stringify({ segments: [{ speaker: 'agent', start: 5, end: 1, text: 'x' }] }), /segments\[0\]: end 1 is before start 5/],
    ['negative time', JSON.stringify({ segments: [{ speaker: 'agent', start: -1, end: 1, text: 'x' }] }), /segments\.0\.start/],
    ['empty text', JSON.stringify({ segments: [{ speaker: 'agent', start: 0, end: 1, text: ' ' }] }), /segments\[0\]: text is empty/],
    ['unsorted', JSON.stringify({ segments: [{ speaker: 'agent', start: 3, end: 4, text: 'a' }, { speaker: 'agent', start: 1, end: 2, text: 'b' }] }), /segments\[1\]: starts at 1, before/],
    ['extra field', JSON.stringify({ segments: [], extra: 1 }), /extra/],
    ['empty segments', JSON.stringify({ segments: [] }), /segments is empty/],
    ['unrecognised JSON', JSON.stringify({ foo: 1 }), /unrecognised transcript JSON/],
    ['AWS item without times', JSON.stringify({ results: { transcripts: [], items: [{ type: 'pronunciation', alternatives: [{ content: 'hi' }] }] } }), /results\.items\.0: pronunciation item without/],
    ['analytics bad role', JSON.stringify({ LanguageCode: 'en-US', Transcript: [{ ParticipantRole: 'BOT', Content: 'x', BeginOffsetMillis: 0, EndOffsetMillis: 1 }] }), /ParticipantRole 'BOT'/],
    ['VTT bad timing', 'WEBVTT\n\n00:00:01.000 --> soon\nhello\n', /cue 1 \(line 3\): cannot read timing/],
    ['VTT cue without text', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n', /cue 1 .* has no text/],
    ['SRT cue without number', '00:00:01,000 --> 00:00:02,000\nhello\n', /unrecognised transcript format/],
    ['SRT bad number', '1\n00:00:01,000 --> 00:00:02,000\nhi\n\nx\n00:00:03,000 --> 00:00:04,000\nho\n', /cue 2 \(line 5\) must start with a cue number/],
    ['plain text', 'just some words', /unrecognised transcript format/],
    ['empty', '   ', /transcript is empty/],
    ['binary', Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), /not UTF-8/],
    ['NUL in a segment', '{"segments":[{"speaker":"agent","start":0,"end":1,"text":"a\\u0000b"}]}', /segments\[0\]: text holds a NUL character or a lone surrogate/],
    ['a lone surrogate', '{"segments":[{"speaker":"agent","start":0,"end":1,"text":"ok"},{"speaker":"agent","start":1,"end":2,"text":"x\\ud800"}]}', /segments\[1\]: text holds/],
    ['NUL in an SRT cue', '1\n00:00:01,000 --> 00:00:02,000\nhi\u0000\n', /segment 0: text holds/],
  ])('rejects %s with a message naming the problem', (_name, content, message) => {
    expect(() => parseSidecarTranscript(content)).toThrow(InvalidTranscriptError);
    expect(() => parseSidecarTranscript(content)).toThrow(message);
  });
});

describe('sidecar timing that cannot be right is refused, naming the segment (issue 18)', () => {
  const sidecar = (segments: { speaker: string; start: number; end: number; text: string }[]) =>
    Buffer.from(JSON.stringify({ format: 'earshot.transcript.v1', language: 'en', rolesSource: 'channel', segments }));

  it.each([
    ['milliseconds', [{ speaker: 'agent', start: 0.5, end: 4.2, text: 'Hello' }, { speaker: 'customer', start: 4.5, end: 700_000, text: 'Hi' }], /segments\[1\].*milliseconds/],
    ['one utterance of an hour', [{ speaker: 'agent', start: 0, end: 3600, text: 'Hello' }], /segments\[0\].*milliseconds/],
    ['a speaker overlapping themself', [{ speaker: 'agent', start: 0, end: 10, text: 'Hello there' }, { speaker: 'agent', start: 4, end: 12, text: 'again' }], /segments\[1\].*cannot overlap/],
  ])('%s', (_case, segments, message) => {
    expect(() => parseSidecarTranscript(sidecar(segments), { filename: 'call.json' })).toThrow(message);
  });

  it('accepts crosstalk between the two parties and a short same-speaker overlap', () => {
    const segments = [
      { speaker: 'agent', start: 0, end: 5, text: 'Hello there' },
      { speaker: 'customer', start: 3, end: 6, text: 'Hi' },
      { speaker: 'agent', start: 4.5, end: 8, text: 'as I said' },
    ];
    expect(parseSidecarTranscript(sidecar(segments), { filename: 'call.json' }).segments).toHaveLength(3);
  });
});
