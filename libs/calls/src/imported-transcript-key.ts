export { importedTranscriptKey } from '#libs/domain';
