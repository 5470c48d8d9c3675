import { createServer, type Socket } from 'node:net';
import { startS3rver } from '../../../test/support/s3rver.js';
import { describeObjectStorageContract } from './object-storage.contract.js';
import { S3ObjectStorage } from './s3-object-storage.js';

describeObjectStorageContract('s3 (s3rver)', {
  servesUrls: true,
  acceptsUnknownSize: false,
  async create() {
    const server = await startS3rver();
    const storage = new S3ObjectStorage({ ...server.clientOptions, bucket: 'earshot-test', pingTimeoutMs: 2_000 });
    return { storage, breakBackend: () => server.stop(), dispose: () => server.stop() };
  },
});

describe('S3ObjectStorage against s3rver', () => {
  it('ping fails while the bucket does not exist yet', async () => {
    const server = await startS3rver();
    try {
      const storage = new S3ObjectStorage({ ...server.clientOptions, bucket: 'not-created-yet' });
      await expect(storage.ping()).rejects.toThrow('does not exist');
      await storage.ensureReady();
      await expect(storage.ping()).resolves.toBeUndefined();
    } finally {
      await server.stop();
    }
  });
});

describe('S3ObjectStorage ping', () => {
  it('gives up on a server that accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const storage = new S3ObjectStorage({
        endPoint: '127.0.0.1',
        port,
        useSSL: false,
        accessKey: 'a',
        secretKey: 'b',
        region: 'us-east-1',
        bucket: 'earshot',
        pathStyle: true,
        pingTimeoutMs: 200,
      });
      const started = Date.now();
      await expect(storage.ping()).rejects.toThrow('did not answer within 200 ms');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
