export type AudioFileFormat = 'wav' | 'mp3' | 'ogg' | 'flac' | 'm4a';

/** The recording formats Earshot accepts, with the content type and file extension each is stored and served as. */
export const AUDIO_FILE_TYPES: Readonly<Record<AudioFileFormat, { contentType: string; extension: string }>> = {
  wav: { contentType: 'audio/wav', extension: 'wav' },
  mp3: { contentType: 'audio/mpeg', extension: 'mp3' },
  ogg: { contentType: 'audio/ogg', extension: 'ogg' },
  flac: { contentType: 'audio/flac', extension: 'flac' },
  m4a: { contentType: 'audio/mp4', extension: 'm4a' },
};

export function audioExtensionOf(contentType: string): string {
  return Object.values(AUDIO_FILE_TYPES).find((type) => type.contentType === contentType)?.extension ?? 'audio';
}

export function audioContentTypeOf(extension: string): string {
  return Object.values(AUDIO_FILE_TYPES).find((type) => type.extension === extension)?.contentType ?? 'application/octet-stream';
}
