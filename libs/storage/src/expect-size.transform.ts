import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through and fails the stream when their total differs from the declared size. */
export class ExpectSizeTransform extends Transform {
  private seen = 0;

  constructor(private readonly expected: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.expected) {
      callback(new Error(`Body is longer than the declared size ${this.expected}`));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.seen === this.expected ? null : new Error(`Body has ${this.seen} bytes, declared size ${this.expected}`));
  }
}
