/** An axis-aligned pixel rectangle; `x1`/`y1` are exclusive so `x1 - x0` is the width. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function isEmpty(r: Rect | null): boolean {
  return r === null || r.x1 <= r.x0 || r.y1 <= r.y0;
}

/** The smallest rectangle holding both; `null` stands for "nothing". */
export function union(a: Rect | null, b: Rect | null): Rect | null {
  if (isEmpty(a)) return isEmpty(b) ? null : { ...b! };
  if (isEmpty(b)) return { ...a! };
  return {
    x0: Math.min(a!.x0, b!.x0),
    y0: Math.min(a!.y0, b!.y0),
    x1: Math.max(a!.x1, b!.x1),
    y1: Math.max(a!.y1, b!.y1),
  };
}

/** `r` cut to the image `[0, width) x [0, height)`, or `null` if nothing is left. */
export function clip(r: Rect | null, width: number, height: number): Rect | null {
  if (r === null) return null;
  const out = {
    x0: Math.max(0, r.x0),
    y0: Math.max(0, r.y0),
    x1: Math.min(width, r.x1),
    y1: Math.min(height, r.y1),
  };
  return isEmpty(out) ? null : out;
}
