import type { LabelBuffer } from "./labelBuffer";
import { paintRow, PAINT_OVER } from "./paint";
import type { Rect } from "./rect";

/** A polygon vertex: the pixel the user clicked (integers). */
export interface Vertex {
  x: number;
  y: number;
}

let crossings = new Float64Array(64);

/**
 * The pixel runs of a polygon, one scanline at a time (docs/architecture.md,
 * "Polygon fill"). Vertices are the clicked pixels' centers, and pixel (x, y)
 * is inside when its center is inside by the even-odd rule. With vertices and
 * pixel centers both at integer-plus-½ positions this is, in pixel indices:
 * on row y, an edge from (xa, ya) to (xb, yb) counts when exactly one end has
 * `yv ≤ y` (half-open in y), its crossing is xa + (y - ya)(xb - xa)/(yb - ya),
 * and between sorted crossing pairs [xl, xr) the pixels ceil(xl) .. ceil(xr) - 1
 * are inside (half-open in x). So a center on a left or top edge is in, on a
 * right or bottom edge out: the axis-aligned rectangle with corners (x0, y0)
 * and (x1, y1) covers exactly (x1 - x0) * (y1 - y0) pixels, and polygons that
 * share an edge never share a pixel.
 * `visit(y, x0, x1)` gets each run clipped to [0, width) x [0, height).
 */
export function polygonRuns(
  vertices: readonly Vertex[],
  width: number,
  height: number,
  visit: (y: number, x0: number, x1: number) => void,
): void {
  const n = vertices.length;
  if (n < 3) return;
  let top = Infinity;
  let bottom = -Infinity;
  for (const v of vertices) {
    top = Math.min(top, v.y);
    bottom = Math.max(bottom, v.y);
  }
  if (crossings.length < n) crossings = new Float64Array(2 * n);
  for (let y = Math.max(0, top); y < Math.min(height, bottom); y++) {
    let k = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = vertices[j];
      const b = vertices[i];
      if (a.y <= y !== b.y <= y) crossings[k++] = a.x + ((y - a.y) * (b.x - a.x)) / (b.y - a.y);
    }
    const row = crossings.subarray(0, k).sort();
    for (let c = 0; c + 1 < k; c += 2) {
      // Integer-valued operands: a division that lands on an integer is exact, so ceil is too.
      const x0 = Math.max(0, Math.ceil(row[c]));
      const x1 = Math.min(width, Math.ceil(row[c + 1]));
      if (x1 > x0) visit(y, x0, x1);
    }
  }
}

/** Fill the polygon with `id` (overlap policy `owner`, see `paint.ts`); returns the dirty rect or null. */
export function fillPolygon(buf: LabelBuffer, vertices: readonly Vertex[], id: number, owner = PAINT_OVER): Rect | null {
  let dirty: Rect | null = null;
  polygonRuns(vertices, buf.width, buf.height, (y, x0, x1) => {
    paintRow(buf, y, x0, x1, id, owner);
    if (dirty === null) dirty = { x0, y0: y, x1, y1: y + 1 };
    else {
      if (x0 < dirty.x0) dirty.x0 = x0;
      if (x1 > dirty.x1) dirty.x1 = x1;
      dirty.y1 = y + 1;
    }
  });
  return dirty;
}

/** Number of pixels the polygon covers (clipped to the image). */
export function polygonArea(vertices: readonly Vertex[], width: number, height: number): number {
  let n = 0;
  polygonRuns(vertices, width, height, (_y, x0, x1) => (n += x1 - x0));
  return n;
}
