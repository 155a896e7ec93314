import type { LabelBuffer } from "./labelBuffer";

/**
 * The overlap policy as one number, `owner`:
 * - `PAINT_OVER` (-1): every pixel may change ("paint over other instances");
 * - `owner ≥ 0`: only pixels whose id is 0 (background) or `owner` may change
 *   ("preserve other instances"; `owner` is the selected instance).
 */
export const PAINT_OVER = -1;

/** Write `id` to pixels x0..x1-1 of row y (clipped by the caller) where the policy allows. */
export function paintRow(buf: LabelBuffer, y: number, x0: number, x1: number, id: number, owner: number): void {
  if (owner < 0) {
    buf.fillRow(y, x0, x1, id);
    return;
  }
  const d = buf.data;
  for (let i = y * buf.width + x0, end = y * buf.width + x1; i < end; i++) {
    const v = d[i];
    if (v === 0 || v === owner) d[i] = id;
  }
}
