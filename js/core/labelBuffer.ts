import type { Rect } from "./rect";

/**
 * The drawing's source of truth: one instance id per pixel, row-major.
 * 0 is background, i is instance i (1-based, as in the SageMaker value).
 */
export class LabelBuffer {
  readonly width: number;
  readonly height: number;
  readonly data: Uint16Array;

  constructor(width: number, height: number, data?: Uint16Array) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new Error(`label buffer size must be positive integers, got ${width}x${height}`);
    }
    if (data !== undefined && data.length !== width * height) {
      throw new Error(`label data has ${data.length} pixels, expected ${width}x${height}`);
    }
    this.width = width;
    this.height = height;
    this.data = data ?? new Uint16Array(width * height);
  }

  get(x: number, y: number): number {
    return this.data[y * this.width + x];
  }

  /** Fill pixels x0..x1-1 of row y (already clipped by the caller) with `id`. */
  fillRow(y: number, x0: number, x1: number, id: number): void {
    const start = y * this.width;
    this.data.fill(id, start + x0, start + x1);
  }

  /** Replace everything, e.g. when Python sends a new annotation. */
  assign(ids: Uint16Array): void {
    if (ids.length !== this.data.length) {
      throw new Error(`label data has ${ids.length} pixels, expected ${this.width}x${this.height}`);
    }
    this.data.set(ids);
  }

  clear(): void {
    this.data.fill(0);
  }

  /** Pixels per id (index = id); one pass, for tests and status lines, not per stroke. */
  countIds(maxId: number): Uint32Array {
    const counts = new Uint32Array(maxId + 1);
    const d = this.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v <= maxId) counts[v]++;
    }
    return counts;
  }

  /** A copy of the ids inside `r`, row-major (for undo patches later). */
  copyRect(r: Rect): Uint16Array {
    const w = r.x1 - r.x0;
    const out = new Uint16Array(w * (r.y1 - r.y0));
    for (let y = r.y0; y < r.y1; y++) {
      const start = y * this.width;
      out.set(this.data.subarray(start + r.x0, start + r.x1), (y - r.y0) * w);
    }
    return out;
  }
}
