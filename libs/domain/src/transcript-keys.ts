/** Where a transcript imported after the upload lives; the transcribe stage prefers it over everything else. */
export function importedTranscriptKey(callId: string): string {
  return `transcripts/imported/${callId}.json`;
}
