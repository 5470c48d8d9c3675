import { createObjectStorage } from './create-object-storage.js';
import { LocalObjectStorage } from './local-object-storage.js';
import { S3ObjectStorage } from './s3-object-storage.js';

describe('createObjectStorage', () => {
  it('builds the backend the options name', () => {
    expect(createObjectStorage({ kind: 'local', root: '/tmp/earshot-unused' })).toBeInstanceOf(LocalObjectStorage);
    expect(
      createObjectStorage({
        kind: 's3',
        endPoint: '127.0.0.1',
        port: 9000,
        useSSL: false,
        accessKey: 'a',
        secretKey: 'b',
        region: 'us-east-1',
        bucket: 'earshot',
        pathStyle: true,
      }),
    ).toBeInstanceOf(S3ObjectStorage);
  });
});
