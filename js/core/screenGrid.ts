import { clip, type Rect } from "./rect";
import type { Size, View } from "./viewport";

/**
 * Which image pixel each pixel of a screen canvas shows: canvas pixel
 * (cx, cy) covers image coordinates o + k * image, and shows the image pixel
 * `columns[cx]`, `rows[cy]` (-1: none, outside the image). One lookup per
 * canvas pixel, so drawing costs what is on screen, whatever the zoom.
 */
export interface ScreenGrid {
  readonly kx: number;
  readonly ky: number;
  readonly ox: number;
  readonly oy: number;
  readonly columns: Int32Array;
  readonly rows: Int32Array;
}

/**
 * The whole image shrunk into a `width` x `height` canvas: each canvas pixel
 * shows the image pixel nearest its centre.
 */
export function shrunkGrid(image: Size, width: number, height: number): ScreenGrid {
  const kx = width / image.width;
  const ky = height / image.height;
  const nearest = (n: number, k: number, size: number): Int32Array =>
    Int32Array.from({ length: n }, (_, i) => Math.min(size - 1, Math.floor((i + 0.5) / k)));
  return { kx, ky, ox: 0, oy: 0, columns: nearest(width, kx, image.width), rows: nearest(height, ky, image.height) };
}

/**
 * A canvas of `width` x `height` device pixels laid over the whole viewport
 * (device pixel = CSS pixel * `dpr`): each shows the image pixel under its
 * centre by the viewport's own rule (Viewport.toImage: floor of the image
 * coordinate), so what is shown is exactly what a pointer there paints.
 */
export function viewGrid({ tx, ty, scale }: View, dpr: number, image: Size, width: number, height: number): ScreenGrid {
  const under = (n: number, t: number, size: number): Int32Array =>
    Int32Array.from({ length: n }, (_, i) => {
      const p = Math.floor(((i + 0.5) / dpr - t) / scale);
      return p >= 0 && p < size ? p : -1;
    });
  const k = scale * dpr;
  return { kx: k, ky: k, ox: tx * dpr, oy: ty * dpr, columns: under(width, tx, image.width), rows: under(height, ty, image.height) };
}

/**
 * The canvas pixels of `grid` (a canvas of `width` x `height`) that may show
 * image pixels of `rect`; null: none. One pixel wider each side than the
 * maths says, so a rounding in the float steps never leaves one stale.
 */
export function gridRect(grid: ScreenGrid, rect: Rect, width: number, height: number): Rect | null {
  return clip(
    {
      x0: Math.floor(grid.ox + rect.x0 * grid.kx) - 1,
      y0: Math.floor(grid.oy + rect.y0 * grid.ky) - 1,
      x1: Math.ceil(grid.ox + rect.x1 * grid.kx) + 1,
      y1: Math.ceil(grid.oy + rect.y1 * grid.ky) + 1,
    },
    width,
    height,
  );
}
