import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3rverClientOptions {
  endPoint: string;
  port: number;
  useSSL: false;
  accessKey: string;
  secretKey: string;
  region: string;
  pathStyle: true;
  partSize: number;
}

export interface RunningS3rver {
  port: number;
  directory: string;
  /** Options for the minio client / S3ObjectStorage (add a bucket). */
  clientOptions: S3rverClientOptions;
  /** Closes the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

// s3rver cannot list multipart uploads, so the client must send objects up to this size in one PUT.
const TEST_PART_SIZE = 512 * 1024 * 1024;

/** Starts an S3-protocol server on 127.0.0.1 on a free port, storing into a fresh temp directory. */
export async function startS3rver(): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'earshot-s3rver-'));
  // Port 0: the OS picks a free port at listen time, so parallel test files never race for one.
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, resetOnClose: true });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    port,
    directory,
    clientOptions: {
      endPoint: '127.0.0.1',
      port,
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      region: 'us-east-1',
      pathStyle: true,
      partSize: TEST_PART_SIZE,
    },
    stop() {
      stopped ??= (async () => {
        try {
          await server.close();
        } finally {
          await rm(directory, { recursive: true, force: true });
        }
      })();
      return stopped;
    },
  };
}
