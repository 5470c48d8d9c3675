// not inside a URL (after ':' or '/') or a word
const ABSOLUTE_PATH = /(?<![\w.~:/-])(?:\/[^\s/:'"()[\]]+)+\/?|[A-Za-z]:\\[^\s:'"]+/g;
// ffmpeg's log prefix names a component and the address of its context: "[wav @ 0x55d5c0e0a8c0] "
const FFMPEG_CONTEXT = /\[[\w -]+ @ 0x[0-9a-f]+\]\s*/gi;
const HEX_ADDRESS = /\b0x[0-9a-f]{6,}\b/gi;
const MAX_REASON = 300;

/**
 * A call's failure reason as any reader of the call may see it: no file system paths (storage layout, temp folders)
 * and no ffmpeg internals (context addresses), and short. The full reason stays in the logs.
 */
export function publicFailureReason(reason: string | null): string | null {
  if (reason === null) return null;
  const cleaned = reason
    .replace(FFMPEG_CONTEXT, '')
    .replace(ABSOLUTE_PATH, 'the file')
    .replace(HEX_ADDRESS, '…')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > MAX_REASON ? `${cleaned.slice(0, MAX_REASON - 1)}…` : cleaned;
}
