/** An append-only Float32 series (one value per frame) that grows without holding the audio itself. */
export class FrameSeries {
  private data = new Float32Array(4096);
  private size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = value;
  }

  get length(): number {
    return this.size;
  }

  toArray(): Float32Array {
    return this.data.subarray(0, this.size);
  }
}
