import type { TranscriptUsage, TranscriptWord } from '#libs/domain';

export type ResponseFormat = 'verbose_json' | 'diarized_json' | 'json';

/** One segment of one uploaded part, times relative to the part; `label` is a diarization speaker label. */
export interface PartSegment {
  start: number;
  end: number;
  text: string;
  label?: string;
  words?: TranscriptWord[];
}

export interface PartResult {
  segments: PartSegment[];
  language?: string;
  usage: TranscriptUsage;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

// Whisper servers report the language as an English name; the transcript stores ISO-639-1.
const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', chinese: 'zh', mandarin: 'zh', cantonese: 'yue', spanish: 'es', french: 'fr', german: 'de',
  japanese: 'ja', korean: 'ko', portuguese: 'pt', italian: 'it', russian: 'ru', arabic: 'ar', hindi: 'hi',
  vietnamese: 'vi', thai: 'th', indonesian: 'id', malay: 'ms', dutch: 'nl', turkish: 'tr', polish: 'pl',
};

export function normaliseLanguage(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  const l = lang.trim().toLowerCase();
  return LANGUAGE_NAMES[l] ?? l;
}

/**
 * Maps a verbose_json, diarized_json or json answer to part segments. Throws when the body has none of the
 * shapes (a server that ignored response_format), so the caller can surface it instead of storing nothing.
 */
export function mapTranscriptionResponse(body: unknown, partDuration: number): PartResult {
  if (typeof body === 'string') {
    // A server that answered plain text although JSON was asked for: keep the text, no timing inside the part.
    const text = body.trim();
    return { segments: text ? [{ start: 0, end: partDuration, text }] : [], usage: {} };
  }
  if (!isObj(body)) throw new Error('transcription response is not a JSON object');
  const usage = mapUsage(body['usage'], num(body['duration']));
  const language = normaliseLanguage(typeof body['language'] === 'string' ? body['language'] : firstLanguage(body['languages']));
  const words = Array.isArray(body['words']) ? body['words'].flatMap(mapWord) : [];
  if (Array.isArray(body['segments'])) {
    const segments: PartSegment[] = [];
    for (const [i, raw] of body['segments'].entries()) {
      if (!isObj(raw)) throw new Error(`transcription response segment ${i} is not an object`);
      const start = num(raw['start']);
      const end = num(raw['end']);
      if (start === undefined || end === undefined || typeof raw['text'] !== 'string') {
        throw new Error(`transcription response segment ${i} lacks start/end/text`);
      }
      const seg: PartSegment = { start, end: Math.max(start, end), text: raw['text'].trim() };
      if (typeof raw['speaker'] === 'string') seg.label = raw['speaker'];
      if (seg.text) segments.push(seg);
    }
    attachWords(segments, words);
    return { segments, language, usage };
  }
  if (typeof body['text'] !== 'string') throw new Error('transcription response has neither segments nor text');
  const text = body['text'].trim();
  if (!text) return { segments: [], language, usage };
  const seg: PartSegment = words.length
    ? { start: words[0].start, end: words[words.length - 1].end, text, words }
    : { start: 0, end: partDuration, text };
  return { segments: [seg], language, usage };
}

function firstLanguage(v: unknown): string | undefined {
  if (!Array.isArray(v) || !isObj(v[0])) return undefined;
  return typeof v[0]['code'] === 'string' ? v[0]['code'] : undefined;
}

function mapWord(raw: unknown): TranscriptWord[] {
  if (!isObj(raw)) return [];
  const start = num(raw['start']);
  const end = num(raw['end']);
  const w = typeof raw['word'] === 'string' ? raw['word'].trim() : undefined;
  if (start === undefined || end === undefined || !w) return [];
  const word: TranscriptWord = { w, start, end };
  const p = num(raw['probability']) ?? num(raw['confidence']);
  if (p !== undefined) word.confidence = p;
  return [word];
}

function attachWords(segments: PartSegment[], words: TranscriptWord[]): void {
  if (!words.length || !segments.length) return;
  let si = 0;
  for (const word of words) {
    const mid = (word.start + word.end) / 2;
    while (si < segments.length - 1 && mid >= segments[si].end && mid >= segments[si + 1].start) si++;
    (segments[si].words ??= []).push(word);
  }
}

function mapUsage(raw: unknown, duration: number | undefined): TranscriptUsage {
  const usage: TranscriptUsage = { requests: 1 };
  if (isObj(raw)) {
    if (raw['type'] === 'tokens') {
      usage.inputTokens = num(raw['input_tokens']);
      usage.outputTokens = num(raw['output_tokens']);
    } else if (raw['type'] === 'duration') {
      usage.audioSeconds = num(raw['seconds']);
    }
  }
  if (usage.audioSeconds === undefined && duration !== undefined) usage.audioSeconds = duration;
  return usage;
}
