import { publicFailureReason } from './failure-reason.js';

describe('publicFailureReason', () => {
  it.each([
    [
      'Unreadable audio: [wav @ 0x55d5c0e0a8c0] invalid start code — /var/lib/earshot/.data/storage/tmp/5bdc34e9-1f2a.wav: Invalid data found when processing input',
      'Unreadable audio: invalid start code — the file: Invalid data found when processing input',
    ],
    ['ENOENT: no such file or directory, open \'/tmp/earshot-clip-Xy12/clip.mp3\'', "ENOENT: no such file or directory, open 'the file'"],
    ['C:\\earshot\\storage\\a.wav: Invalid data', 'the file: Invalid data'],
    ['the sidecar transcript runs past the end of the audio (segment 3 ends at 92.4 s; audio 61.0 s)', 'the sidecar transcript runs past the end of the audio (segment 3 ends at 92.4 s; audio 61.0 s)'],
    ['a ratio 1/2 and and/or stay', 'a ratio 1/2 and and/or stay'],
    [
      'provider rejected the request (401): see https://platform.openai.com/account/api-keys.',
      'provider rejected the request (401): see https://platform.openai.com/account/api-keys.',
    ],
  ])('%j', (reason, expected) => {
    expect(publicFailureReason(reason)).toBe(expected);
  });

  it('keeps a reason short', () => {
    expect(publicFailureReason('x'.repeat(5000))?.length).toBe(300);
    expect(publicFailureReason(null)).toBeNull();
  });
});
