import type { LabelBuffer } from "./labelBuffer";
import { PAINT_OVER } from "./paint";
import type { Rect } from "./rect";

let stack = new Int32Array(1024);

/**
 * Fill the 4-connected region of (x, y)'s current id with `id`: a scanline
 * fill with an explicit stack of seeds on typed arrays (no recursion, one
 * `fill` per run). With a preserve policy (`owner ≥ 0`, see `paint.ts`) a
 * region of another instance is left alone. Returns the dirty rect or null.
 */
export function floodFill(buf: LabelBuffer, x: number, y: number, id: number, owner = PAINT_OVER): Rect | null {
  const { width, height, data } = buf;
  if (x < 0 || y < 0 || x >= width || y >= height) return null;
  const target = data[y * width + x];
  if (target === id) return null;
  if (owner >= 0 && target !== 0 && target !== owner) return null;
  let x0 = x;
  let x1 = x + 1;
  let y0 = y;
  let y1 = y + 1;
  let top = 0;
  const push = (px: number, py: number): void => {
    if (top + 2 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[top++] = px;
    stack[top++] = py;
  };
  push(x, y);
  while (top > 0) {
    const sy = stack[--top];
    const sx = stack[--top];
    const row = sy * width;
    if (data[row + sx] !== target) continue; // filled since it was pushed
    let l = sx;
    while (l > 0 && data[row + l - 1] === target) l--;
    let r = sx + 1;
    while (r < width && data[row + r] === target) r++;
    data.fill(id, row + l, row + r);
    if (l < x0) x0 = l;
    if (r > x1) x1 = r;
    if (sy < y0) y0 = sy;
    if (sy + 1 > y1) y1 = sy + 1;
    // One seed per run of `target` in the rows above and below [l, r).
    for (let ny = sy - 1; ny <= sy + 1; ny += 2) {
      if (ny < 0 || ny >= height) continue;
      const nrow = ny * width;
      let inRun = false;
      for (let i = l; i < r; i++) {
        const match = data[nrow + i] === target;
        if (match && !inRun) push(i, ny);
        inRun = match;
      }
    }
  }
  return { x0, y0, x1, y1 };
}
