/** The transcription provider of this deployment (absent when only sidecar transcripts are used). */
export const TRANSCRIPTION_PROVIDER = Symbol('TRANSCRIPTION_PROVIDER');
