import type { LabelBuffer } from "./labelBuffer";
import type { Rect } from "./rect";

/**
 * Per-instance cleanup, the same rules as Python's `crowdseg_widget.cleanup`:
 * regions are 4-connected (as the fill bucket), a hole is a region of other
 * pixels that the instance encloses (none of it reaches the image border
 * through non-instance pixels), and only its background pixels are filled:
 * another instance inside a hole keeps its pixels.
 */

interface Box {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

/** The tight box of instance `id`'s pixels, or null if it has none. */
export function instanceBox(buf: LabelBuffer, id: number): Box | null {
  const { width, height, data } = buf;
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== id) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * Visit every cell 4-connected to `start` through cells `enter(i)` accepts,
 * over a `w`x`h` box; `enter` marks a cell so it is entered once.
 */
export function flood(w: number, h: number, start: number, enter: (i: number) => boolean): void {
  if (!enter(start)) return;
  const stack = [start];
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % w;
    if (x > 0 && enter(i - 1)) stack.push(i - 1);
    if (x < w - 1 && enter(i + 1)) stack.push(i + 1);
    if (i >= w && enter(i - w)) stack.push(i - w);
    if (i + w < w * h && enter(i + w)) stack.push(i + w);
  }
}

/** Fill the holes of instance `id` (see above). Returns the dirty rect, or null if there were none. */
export function fillHoles(buf: LabelBuffer, id: number): Rect | null {
  const box = instanceBox(buf, id);
  if (box === null) return null;
  const { x0, y0, w, h } = box;
  const other = new Uint8Array(w * h); // 1: not the instance
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) other[y * w + x] = buf.data[(y0 + y) * buf.width + x0 + x] === id ? 0 : 1;
  }
  // Outside the tight box there is no instance pixel, so what reaches its edge reaches the border.
  const outside = new Uint8Array(w * h);
  const enter = (i: number): boolean => {
    if (other[i] === 0 || outside[i] === 1) return false;
    outside[i] = 1;
    return true;
  };
  for (let x = 0; x < w; x++) {
    flood(w, h, x, enter);
    flood(w, h, (h - 1) * w + x, enter);
  }
  for (let y = 0; y < h; y++) {
    flood(w, h, y * w, enter);
    flood(w, h, y * w + w - 1, enter);
  }
  let changed: Rect | null = null;
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * buf.width + x0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (other[i] === 0 || outside[i] === 1 || buf.data[row + x] !== 0) continue;
      buf.data[row + x] = id;
      changed = grow(changed, x0 + x, y0 + y);
    }
  }
  return changed;
}

/**
 * Erase the 4-connected regions of instance `id` with fewer than `minPixels`
 * pixels (they become background). Returns the dirty rect, or null.
 */
export function removeIslands(buf: LabelBuffer, id: number, minPixels: number): Rect | null {
  const box = instanceBox(buf, id);
  if (box === null) return null;
  const { x0, y0, w, h } = box;
  const region = new Int32Array(w * h).fill(-1);
  const sizes: number[] = [];
  const at = (i: number): number => (y0 + Math.floor(i / w)) * buf.width + x0 + (i % w);
  for (let start = 0; start < w * h; start++) {
    if (region[start] !== -1 || buf.data[at(start)] !== id) continue;
    const label = sizes.length;
    let size = 0;
    flood(w, h, start, (i) => {
      if (region[i] !== -1 || buf.data[at(i)] !== id) return false;
      region[i] = label;
      size++;
      return true;
    });
    sizes.push(size);
  }
  let changed: Rect | null = null;
  for (let i = 0; i < w * h; i++) {
    if (region[i] < 0 || sizes[region[i]] >= minPixels) continue;
    buf.data[at(i)] = 0;
    changed = grow(changed, x0 + (i % w), y0 + Math.floor(i / w));
  }
  return changed;
}

function grow(r: Rect | null, x: number, y: number): Rect {
  if (r === null) return { x0: x, y0: y, x1: x + 1, y1: y + 1 };
  return { x0: Math.min(r.x0, x), y0: Math.min(r.y0, y), x1: Math.max(r.x1, x + 1), y1: Math.max(r.y1, y + 1) };
}
