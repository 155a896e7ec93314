import { flood } from "./cleanup";
import type { BoxMask } from "./mask";

/**
 * The magic wand: the 4-connected region of pixels whose color is within
 * `tolerance` of the clicked pixel's, in every channel (max |Δr|, |Δg|, |Δb|;
 * alpha is ignored). `rgba` is the photo's pixels, 4 bytes each, row-major.
 * Returns the region cropped to its box, or null outside the image.
 */
export function magicWand(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  x: number,
  y: number,
  tolerance: number,
): BoxMask | null {
  if (x < 0 || y < 0 || x >= width || y >= height) return null;
  if (rgba.length !== width * height * 4) {
    throw new Error(`photo has ${rgba.length} bytes, expected ${width}x${height}x4`);
  }
  const seed = (y * width + x) * 4;
  const [r, g, b] = [rgba[seed], rgba[seed + 1], rgba[seed + 2]];
  const inside = new Uint8Array(width * height);
  const box = { x0: x, y0: y, x1: x + 1, y1: y + 1 };
  flood(width, height, y * width + x, (i) => {
    if (inside[i] === 1) return false;
    const p = i * 4;
    const diff = Math.max(Math.abs(rgba[p] - r), Math.abs(rgba[p + 1] - g), Math.abs(rgba[p + 2] - b));
    if (diff > tolerance) return false;
    inside[i] = 1;
    const px = i % width;
    const py = (i - px) / width;
    if (px < box.x0) box.x0 = px;
    if (px >= box.x1) box.x1 = px + 1;
    if (py < box.y0) box.y0 = py;
    if (py >= box.y1) box.y1 = py + 1;
    return true;
  });
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const data = new Uint8Array(w * h);
  for (let row = 0; row < h; row++) {
    const from = (box.y0 + row) * width + box.x0;
    data.set(inside.subarray(from, from + w), row * w);
  }
  return { x0: box.x0, y0: box.y0, width: w, height: h, data };
}
