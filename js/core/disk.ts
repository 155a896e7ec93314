import type { LabelBuffer } from "./labelBuffer";
import { clip, type Rect } from "./rect";

/**
 * The brush footprint of radius r: pixels with dx² + dy² ≤ r² + r (pixel
 * center strictly inside a circle of radius r + ½), so its size is 2r + 1.
 * `halfWidths[dy + r]` is the largest |dx| covered in row dy, so a stamp is
 * one `fill` per row.
 */
export interface Disk {
  radius: number;
  halfWidths: Int32Array;
}

const cache = new Map<number, Disk>();

export function disk(radius: number): Disk {
  if (!Number.isInteger(radius) || radius < 0) {
    throw new Error(`brush radius must be an integer ≥ 0, got ${radius}`);
  }
  let d = cache.get(radius);
  if (d === undefined) {
    const limit = radius * radius + radius;
    const halfWidths = new Int32Array(2 * radius + 1);
    for (let dy = -radius; dy <= radius; dy++) {
      const rest = limit - dy * dy;
      // Integer square root: start from the float guess, then correct it.
      let dx = Math.floor(Math.sqrt(rest));
      while (dx * dx > rest) dx--;
      while ((dx + 1) * (dx + 1) <= rest) dx++;
      halfWidths[dy + radius] = dx;
    }
    d = { radius, halfWidths };
    cache.set(radius, d);
  }
  return d;
}

/** Number of pixels in the footprint (unclipped). */
export function diskArea(radius: number): number {
  let n = 0;
  for (const hw of disk(radius).halfWidths) n += 2 * hw + 1;
  return n;
}

/** Write `id` under the footprint centered at (cx, cy); returns the dirty rect or null. */
export function stampDisk(buf: LabelBuffer, cx: number, cy: number, radius: number, id: number): Rect | null {
  const { halfWidths } = disk(radius);
  const dirty = clip(
    { x0: cx - radius, y0: cy - radius, x1: cx + radius + 1, y1: cy + radius + 1 },
    buf.width,
    buf.height,
  );
  if (dirty === null) return null;
  for (let y = dirty.y0; y < dirty.y1; y++) {
    const hw = halfWidths[y - cy + radius];
    const x0 = Math.max(0, cx - hw);
    const x1 = Math.min(buf.width, cx + hw + 1);
    if (x1 > x0) buf.fillRow(y, x0, x1, id);
  }
  return dirty;
}
