import type { LabelBuffer } from "./labelBuffer";
import { PAINT_OVER } from "./paint";
import type { Rect } from "./rect";

/**
 * A binary mask cropped to its box: pixel (x, y) of the image is in the mask
 * when `data[(y - y0) * width + (x - x0)]` is 1. Used for masks that are not
 * in the label buffer yet (an assist's candidate, the magic wand's region).
 */
export interface BoxMask {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function maskRect(mask: BoxMask): Rect {
  return { x0: mask.x0, y0: mask.y0, x1: mask.x0 + mask.width, y1: mask.y0 + mask.height };
}

export function maskPixels(mask: BoxMask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) n += mask.data[i];
  return n;
}

/**
 * The mask cut down to the box of its set pixels and to the image, or null
 * when no pixel of it lies in the image.
 */
export function trimMask(mask: BoxMask, imageWidth: number, imageHeight: number): BoxMask | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let y = 0; y < mask.height; y++) {
    const iy = mask.y0 + y;
    if (iy < 0 || iy >= imageHeight) continue;
    for (let x = 0; x < mask.width; x++) {
      const ix = mask.x0 + x;
      if (ix < 0 || ix >= imageWidth || mask.data[y * mask.width + x] === 0) continue;
      if (ix < x0) x0 = ix;
      if (ix >= x1) x1 = ix + 1;
      if (iy < y0) y0 = iy;
      if (iy >= y1) y1 = iy + 1;
    }
  }
  if (x1 <= x0) return null;
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y0 + y - mask.y0) * mask.width + (x0 - mask.x0);
    data.set(mask.data.subarray(from, from + width), y * width);
  }
  return { x0, y0, width, height, data };
}

/**
 * Write `id` into the buffer wherever the mask is set and the overlap policy
 * (`owner`, see paint.ts) allows. Returns the dirty rect, or null if nothing changed.
 */
export function applyMask(buf: LabelBuffer, mask: BoxMask, id: number, owner = PAINT_OVER): Rect | null {
  const clipped = trimMask(mask, buf.width, buf.height);
  if (clipped === null) return null;
  const { x0, y0, width, height, data } = clipped;
  const ids = buf.data;
  let changed = false;
  for (let y = 0; y < height; y++) {
    const row = (y0 + y) * buf.width + x0;
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] === 0) continue;
      const v = ids[row + x];
      if (v === id || (owner >= 0 && v !== 0 && v !== owner)) continue;
      ids[row + x] = id;
      changed = true;
    }
  }
  return changed ? maskRect(clipped) : null;
}

/**
 * A mask as it travels from the kernel: the box and its pixels packed 8 to a
 * byte, the first pixel in the lowest bit, row-major over the box with no row
 * padding, the last byte zero-padded (numpy's
 * `packbits(mask[y0:y1, x0:x1], bitorder="little")`, Python's assist/wire.py).
 */
export function unpackMask(x0: number, y0: number, width: number, height: number, packed: Uint8Array): BoxMask {
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`a mask box must have a positive integer size, got ${width}x${height}`);
  }
  if (packed.length !== Math.ceil(n / 8)) {
    throw new Error(`a ${width}x${height} mask needs ${Math.ceil(n / 8)} packed bytes, got ${packed.length}`);
  }
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = (packed[i >> 3] >> (i & 7)) & 1;
  return { x0, y0, width, height, data };
}
