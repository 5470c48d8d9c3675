/** An upload with no transcript where this deployment has nothing to transcribe it with. */
export class TranscriptionNotConfiguredError extends Error {
  override readonly name = 'TranscriptionNotConfiguredError';

  constructor() {
    super(
      'the upload has no transcript and no transcription provider is configured: attach a sidecar transcript ' +
        '(multipart field "transcript"), or set TRANSCRIPTION_PROVIDER=openai with OPENAI_API_KEY (and OPENAI_BASE_URL for a self-hosted server)',
    );
  }
}
