import { z } from 'zod';
import type { NormalisedTranscript, Speaker, TranscriptSegment, TranscriptWord } from '#libs/domain';
import { InvalidTranscriptError } from './invalid-transcript.error.js';
import { checkSegments, joinTokens, languageTag, roleFromName, type SidecarHint } from './sidecar-common.js';

export const EARSHOT_TRANSCRIPT_FORMAT = 'earshot.transcript.v1';

const time = z.number().finite().min(0);
const earshotSchema = z.strictObject({
  format: z.literal(EARSHOT_TRANSCRIPT_FORMAT).optional(),
  language: z.string().min(1).optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  rolesSource: z.enum(['channel', 'diarization', 'sidecar', 'none']).optional(),
  rolesConfidence: z.number().min(0).max(1).optional(),
  usage: z.object({}).passthrough().optional(),
  segments: z.array(
    z.strictObject({
      speaker: z.enum(['agent', 'customer', 'unknown']),
      start: time,
      end: time,
      text: z.string(),
      words: z.array(z.strictObject({ w: z.string().min(1), start: time, end: time, confidence: z.number().min(0).max(1).optional() })).optional(),
    }),
  ),
});

const awsItem = z.object({
  id: z.number().optional(),
  type: z.enum(['pronunciation', 'punctuation']),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  speaker_label: z.string().optional(),
  channel_label: z.string().optional(),
  alternatives: z.array(z.object({ content: z.string(), confidence: z.union([z.string(), z.number()]).optional() })).min(1),
});
type AwsItem = z.infer<typeof awsItem>;
const awsSchema = z.object({
  results: z.object({
    transcripts: z.array(z.object({ transcript: z.string() })),
    items: z.array(awsItem).default([]),
    language_code: z.string().optional(),
    speaker_labels: z
      .object({ segments: z.array(z.object({ speaker_label: z.string(), items: z.array(z.object({ start_time: z.string(), speaker_label: z.string() })).default([]) })) })
      .optional(),
    channel_labels: z.object({ channels: z.array(z.object({ channel_label: z.string(), items: z.array(awsItem) })) }).optional(),
  }),
});

const analyticsSchema = z.object({
  LanguageCode: z.string().optional(),
  Transcript: z.array(
    z.object({
      ParticipantRole: z.string(),
      Content: z.string(),
      BeginOffsetMillis: z.number().int().min(0),
      EndOffsetMillis: z.number().int().min(0),
    }),
  ),
});

function issues(err: z.ZodError, what: string): InvalidTranscriptError {
  const first = err.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return new InvalidTranscriptError(`${what}: ${first.join('; ')}${err.issues.length > 3 ? ` (and ${err.issues.length - 3} more)` : ''}`);
}

function sidecar(segments: TranscriptSegment[], language: string | undefined, model: string | undefined): NormalisedTranscript {
  const known = segments.some((s) => s.speaker !== 'unknown');
  return {
    provider: 'sidecar',
    ...(model ? { model } : {}),
    ...(language ? { language } : {}),
    rolesSource: known ? 'sidecar' : 'none',
    ...(known ? { rolesConfidence: 1 } : {}),
    segments,
  };
}

/** Earshot's own JSON (README "Sidecar formats"); also accepts a NormalisedTranscript as produced by a provider. */
export function parseEarshotJson(doc: unknown): NormalisedTranscript {
  const r = earshotSchema.safeParse(doc);
  if (!r.success) throw issues(r.error, 'invalid Earshot transcript JSON');
  const segments: TranscriptSegment[] = r.data.segments.map((s) => ({
    speaker: s.speaker,
    start: s.start,
    end: s.end,
    text: s.text,
    ...(s.words?.length ? { words: s.words } : {}),
  }));
  if (!segments.length) throw new InvalidTranscriptError('invalid Earshot transcript JSON: segments is empty');
  checkSegments(segments, (i) => `invalid Earshot transcript JSON: segments[${i}]`);
  return sidecar(segments, r.data.language, r.data.provider);
}

/** AWS Transcribe Call Analytics output: roles come from ParticipantRole and are exact. */
export function parseAwsCallAnalytics(doc: unknown): NormalisedTranscript {
  const r = analyticsSchema.safeParse(doc);
  if (!r.success) throw issues(r.error, 'invalid AWS Call Analytics transcript');
  const segments = r.data.Transcript.map((t, i): TranscriptSegment => {
    const role = t.ParticipantRole.toUpperCase();
    if (role !== 'AGENT' && role !== 'CUSTOMER') {
      throw new InvalidTranscriptError(`invalid AWS Call Analytics transcript: Transcript.${i}.ParticipantRole '${t.ParticipantRole}' is not AGENT or CUSTOMER`);
    }
    return { speaker: role === 'AGENT' ? 'agent' : 'customer', start: t.BeginOffsetMillis / 1000, end: t.EndOffsetMillis / 1000, text: t.Content };
  });
  if (!segments.length) throw new InvalidTranscriptError('invalid AWS Call Analytics transcript: Transcript is empty');
  checkSegments(segments, (i) => `invalid AWS Call Analytics transcript: Transcript.${i}`);
  return sidecar(segments, languageTag(r.data.LanguageCode), 'aws-transcribe-call-analytics');
}

const PAUSE_SPLIT_S = 1.5;

/** AWS Transcribe standard output: words from items; roles from channel_labels (with hint.agentChannel) or speaker labels via hint.speakerMap. */
export function parseAwsTranscribe(doc: unknown, hint: SidecarHint): NormalisedTranscript {
  const r = awsSchema.safeParse(doc);
  if (!r.success) throw issues(r.error, 'invalid AWS Transcribe JSON');
  const res = r.data.results;
  const labelled: Array<{ item: AwsItem; label: string; idx: string }> = [];
  if (res.channel_labels) {
    for (const [ci, ch] of res.channel_labels.channels.entries()) {
      ch.items.forEach((item, ii) => labelled.push({ item, label: ch.channel_label, idx: `results.channel_labels.channels.${ci}.items.${ii}` }));
    }
  } else {
    const byStart = new Map<string, string>();
    for (const seg of res.speaker_labels?.segments ?? []) for (const it of seg.items) byStart.set(it.start_time, it.speaker_label);
    let last = '';
    res.items.forEach((item, ii) => {
      const label = item.speaker_label ?? item.channel_label ?? (item.start_time ? byStart.get(item.start_time) : undefined) ?? last;
      last = label;
      labelled.push({ item, label, idx: `results.items.${ii}` });
    });
  }
  const words: Array<TranscriptWord & { label: string; punct: boolean }> = [];
  for (const { item, label, idx } of labelled) {
    const alt = item.alternatives[0];
    if (item.type === 'punctuation') {
      const prev = words[words.length - 1];
      if (prev) words.push({ w: alt.content, start: prev.end, end: prev.end, label: prev.label, punct: true });
      continue;
    }
    const start = Number(item.start_time);
    const end = Number(item.end_time);
    if (item.start_time === undefined || item.end_time === undefined || !Number.isFinite(start) || !Number.isFinite(end)) {
      throw new InvalidTranscriptError(`invalid AWS Transcribe JSON: ${idx}: pronunciation item without numeric start_time/end_time`);
    }
    const conf = alt.confidence === undefined ? undefined : Number(alt.confidence);
    words.push({ w: alt.content, start, end, label, punct: false, ...(conf !== undefined && Number.isFinite(conf) ? { confidence: conf } : {}) });
  }
  if (res.channel_labels) words.sort((a, b) => a.start - b.start || Number(a.punct) - Number(b.punct));
  if (!words.length) throw new InvalidTranscriptError('invalid AWS Transcribe JSON: results.items has no words');
  const roleOf = (label: string): Speaker => {
    const m = /^ch_([01])$/.exec(label);
    if (m && hint.agentChannel) return (m[1] === '0') === (hint.agentChannel === 'left') ? 'agent' : 'customer';
    return label ? roleFromName(label, hint) : 'unknown';
  };
  const segments: TranscriptSegment[] = [];
  let cur: { label: string; words: typeof words } | undefined;
  const flush = (): void => {
    if (!cur) return;
    const spoken = cur.words.filter((w) => !w.punct);
    segments.push({
      speaker: roleOf(cur.label),
      start: spoken[0].start,
      end: spoken[spoken.length - 1].end,
      text: joinTokens(cur.words.map((w) => ({ text: w.w, punctuation: w.punct }))),
      words: spoken.map(({ w, start, end, confidence }) => ({ w, start, end, ...(confidence !== undefined ? { confidence } : {}) })),
    });
  };
  for (const w of words) {
    const prev = cur?.words.filter((x) => !x.punct).pop();
    if (cur && (w.punct || (w.label === cur.label && prev && w.start - prev.end <= PAUSE_SPLIT_S))) {
      cur.words.push(w);
      continue;
    }
    if (w.punct) continue;
    flush();
    cur = { label: w.label, words: [w] };
  }
  flush();
  checkSegments(segments, (i) => `invalid AWS Transcribe JSON: derived segment ${i}`);
  return sidecar(segments, languageTag(res.language_code), 'aws-transcribe');
}
