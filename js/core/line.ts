import { disk } from "./disk";
import type { LabelBuffer } from "./labelBuffer";
import { paintRow, PAINT_OVER } from "./paint";
import { clip, type Rect } from "./rect";

/** Visit every pixel of the Bresenham line from (x0, y0) to (x1, y1), both ends included. */
export function bresenham(x0: number, y0: number, x1: number, y1: number, visit: (x: number, y: number) => void): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  let x = x0;
  let y = y0;
  for (;;) {
    visit(x, y);
    if (x === x1 && y === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y += sy;
    }
  }
}

let spanMin = new Int32Array(0);
let spanMax = new Int32Array(0);

/**
 * Stamp the brush footprint at every Bresenham pixel of the segment: a thick
 * line. Same pixels as stamping one disk per point, but each row is filled
 * once: along a line the stamps that reach a row are consecutive and their
 * spans touch or overlap, so their union per row is one span.
 * `owner` is the overlap policy (see `paint.ts`; default: paint over).
 * Returns the dirty rect (clipped to the image) or null.
 */
export function strokeSegment(
  buf: LabelBuffer,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  radius: number,
  id: number,
  owner = PAINT_OVER,
): Rect | null {
  const bounds = {
    x0: Math.min(x0, x1) - radius,
    y0: Math.min(y0, y1) - radius,
    x1: Math.max(x0, x1) + radius + 1,
    y1: Math.max(y0, y1) + radius + 1,
  };
  const dirty = clip(bounds, buf.width, buf.height);
  if (dirty === null) return null;
  const rows = dirty.y1 - dirty.y0;
  if (spanMin.length < rows) {
    spanMin = new Int32Array(rows);
    spanMax = new Int32Array(rows);
  }
  spanMin.fill(0x7fffffff, 0, rows);
  spanMax.fill(-0x80000000, 0, rows);
  const { halfWidths } = disk(radius);
  bresenham(x0, y0, x1, y1, (cx, cy) => {
    const top = Math.max(dirty.y0, cy - radius);
    const bottom = Math.min(dirty.y1 - 1, cy + radius);
    for (let y = top; y <= bottom; y++) {
      const hw = halfWidths[y - cy + radius];
      const row = y - dirty.y0;
      if (cx - hw < spanMin[row]) spanMin[row] = cx - hw;
      if (cx + hw > spanMax[row]) spanMax[row] = cx + hw;
    }
  });
  let touched: Rect | null = null;
  for (let row = 0; row < rows; row++) {
    const a = Math.max(0, spanMin[row]);
    const b = Math.min(buf.width - 1, spanMax[row]);
    if (b < a) continue;
    const y = dirty.y0 + row;
    paintRow(buf, y, a, b + 1, id, owner);
    if (touched === null) touched = { x0: a, y0: y, x1: b + 1, y1: y + 1 };
    else {
      if (a < touched.x0) touched.x0 = a;
      if (b + 1 > touched.x1) touched.x1 = b + 1;
      touched.y1 = y + 1;
    }
  }
  return touched;
}
