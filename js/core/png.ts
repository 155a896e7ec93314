/**
 * Label map ⇄ PNG, the form of docs/format.md: indexed (color type 3) with
 * palette index i = instance i (index 0 transparent black), or 8-bit RGBA
 * beyond 255 instances. Label data never goes through a canvas, whose
 * color management and anti-aliasing would change ids.
 */
import { unzlibSync } from "fflate";
import { rgbToColor } from "./palette";
import { concat, crc32, SIGNATURE } from "./pngChunks";

// The encoder lives in stripPng.ts (strips re-encoded per edit); re-exported for one import site.
export { encodeLabelPng, indexedBitDepth } from "./stripPng";

export interface DecodedLabels {
  width: number;
  height: number;
  ids: Uint16Array;
}

// ------------------------------------------------------------------ decoding

interface Chunks {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  palette: Uint8Array | null;
  alpha: Uint8Array | null;
  idat: Uint8Array;
}

function readChunks(bytes: Uint8Array): Chunks {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new Error("labeled image is not a PNG (bad signature)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Omit<Chunks, "palette" | "alpha" | "idat"> | null = null;
  let palette: Uint8Array | null = null;
  let alpha: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) throw new Error("PNG is truncated (no IEND chunk)");
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const end = at + 8 + length;
    if (end + 4 > bytes.length) throw new Error(`PNG is truncated inside its ${type} chunk`);
    if (crc32(bytes, at + 4, end) !== view.getUint32(end)) throw new Error(`PNG ${type} chunk fails its CRC check`);
    const data = bytes.subarray(at + 8, end);
    if (type === "IHDR") {
      const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
      header = { width: dv.getUint32(0), height: dv.getUint32(4), bitDepth: data[8], colorType: data[9] };
      if (data[12] !== 0) throw new Error("interlaced PNGs are not supported for label images");
    } else if (type === "PLTE") palette = data;
    else if (type === "tRNS") alpha = data;
    else if (type === "IDAT") idat.push(data); // may be split over several chunks
    else if (type === "IEND") break;
    at = end + 4;
  }
  if (header === null) throw new Error("PNG has no IHDR chunk");
  if (idat.length === 0) throw new Error("PNG has no IDAT chunk");
  return { ...header, palette, alpha, idat: concat(idat) };
}

/** Undo the per-row filters (all five PNG types); returns the rows without filter bytes. */
function unfilter(raw: Uint8Array, height: number, rowBytes: number, bpp: number): Uint8Array {
  if (raw.length < (rowBytes + 1) * height) throw new Error("PNG image data is shorter than its size says");
  const out = new Uint8Array(rowBytes * height);
  // One loop per filter type: a per-byte switch costs several times more on large images.
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)];
    const src = y * (rowBytes + 1) + 1;
    const dst = y * rowBytes;
    const up = dst - rowBytes; // previous output row, read only when y > 0
    if (filter === 0 || (filter === 2 && y === 0)) {
      out.set(raw.subarray(src, src + rowBytes), dst);
    } else if (filter === 1) {
      for (let i = 0; i < rowBytes; i++) out[dst + i] = raw[src + i] + (i >= bpp ? out[dst + i - bpp] : 0);
    } else if (filter === 2) {
      for (let i = 0; i < rowBytes; i++) out[dst + i] = raw[src + i] + out[up + i];
    } else if (filter === 3) {
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? out[dst + i - bpp] : 0;
        const b = y > 0 ? out[up + i] : 0;
        out[dst + i] = raw[src + i] + ((a + b) >> 1);
      }
    } else if (filter === 4) {
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? out[dst + i - bpp] : 0;
        const b = y > 0 ? out[up + i] : 0;
        const c = y > 0 && i >= bpp ? out[up + i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        out[dst + i] = raw[src + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
    } else {
      throw new Error(`PNG row ${y} has unknown filter type ${filter}`);
    }
  }
  return out; // Uint8Array stores wrap modulo 256, which is what PNG's sums need
}

function colorIds(colors: readonly string[]): Map<string, number> {
  const ids = new Map<string, number>();
  colors.forEach((c, i) => ids.set(c.toLowerCase(), i + 1));
  return ids;
}

function strayColorError(color: string, pixels: number): Error {
  return new Error(
    `labeled image has ${pixels} pixel(s) of color ${color}, which is not an instance color ` +
      "(anti-aliasing is the usual cause)",
  );
}

/** Id for a color: an instance's own, else background for transparent/black/white, else -1. */
function idForColor(byColor: Map<string, number>, color: string, transparent: boolean): number {
  const id = byColor.get(color);
  if (id !== undefined && !transparent) return id;
  if (transparent || color === "#000000" || color === "#ffffff") return 0;
  return -1;
}

/**
 * Decode a label PNG (indexed 1/2/4/8-bit or 8-bit RGBA) to instance ids,
 * mapping every pixel by its color to `colors` (instance i = colors[i-1]).
 */
export function decodeLabelPng(bytes: Uint8Array, colors: readonly string[]): DecodedLabels {
  const png = readChunks(bytes);
  const { width, height, bitDepth, colorType } = png;
  if (width === 0 || height === 0) throw new Error(`PNG has an empty size ${width}x${height}`);
  const byColor = colorIds(colors);
  const ids = new Uint16Array(width * height);
  const raw = unzlibSync(png.idat);

  if (colorType === 3) {
    if (![1, 2, 4, 8].includes(bitDepth)) throw new Error(`indexed PNG with bit depth ${bitDepth} is invalid`);
    if (png.palette === null) throw new Error("indexed PNG has no PLTE chunk");
    const rowBytes = Math.ceil((width * bitDepth) / 8);
    const rows = unfilter(raw, height, rowBytes, 1);
    const entries = png.palette.length / 3;
    const mask = (1 << bitDepth) - 1;
    const counts = new Uint32Array(256);
    for (let y = 0; y < height; y++) {
      const row = y * rowBytes;
      const out = y * width;
      if (bitDepth === 8) {
        for (let x = 0; x < width; x++) {
          const index = rows[row + x];
          ids[out + x] = index;
          counts[index]++;
        }
        continue;
      }
      // Sub-byte depths: unpack each byte's pixels, most significant bits first.
      for (let x = 0, i = row; x < width; i++) {
        const byte = rows[i];
        for (let shift = 8 - bitDepth; shift >= 0 && x < width; shift -= bitDepth, x++) {
          const index = (byte >> shift) & mask;
          ids[out + x] = index;
          counts[index]++;
        }
      }
    }
    // Map palette entries to ids by color (our own PNGs make this the identity).
    const lut = new Uint16Array(256);
    let identity = true;
    for (let index = 0; index < 256; index++) {
      if (counts[index] === 0) continue;
      if (index >= entries) throw new Error(`PNG uses palette index ${index} but its palette has ${entries} entries`);
      const p = png.palette.subarray(3 * index, 3 * index + 3);
      const color = rgbToColor(p[0], p[1], p[2]);
      const transparent = png.alpha !== null && index < png.alpha.length && png.alpha[index] === 0;
      const id = idForColor(byColor, color, transparent);
      if (id < 0) throw strayColorError(color, counts[index]);
      lut[index] = id;
      if (id !== index) identity = false;
    }
    if (!identity) for (let i = 0; i < ids.length; i++) ids[i] = lut[ids[i]];
    return { width, height, ids };
  }

  if (colorType === 6) {
    if (bitDepth !== 8) throw new Error(`RGBA PNG with bit depth ${bitDepth} is not supported (8 only)`);
    const rows = unfilter(raw, height, 4 * width, 4);
    const pixels = new Uint32Array(rows.buffer, rows.byteOffset, width * height);
    const idByPixel = new Map<number, number>();
    const stray = new Map<number, number>();
    let lastPixel = -1;
    let lastId = 0;
    for (let i = 0; i < pixels.length; i++) {
      const px = pixels[i];
      if (px !== lastPixel) {
        let id = idByPixel.get(px);
        if (id === undefined) {
          const a = px >>> 24;
          const color = rgbToColor(px & 0xff, (px >> 8) & 0xff, (px >> 16) & 0xff);
          id = a === 0 ? 0 : a === 255 ? idForColor(byColor, color, false) : -1;
          idByPixel.set(px, id);
        }
        lastPixel = px;
        lastId = id;
      }
      if (lastId < 0) stray.set(px, (stray.get(px) ?? 0) + 1);
      else ids[i] = lastId;
    }
    if (stray.size > 0) {
      const [px, count] = [...stray.entries()].sort((p, q) => q[1] - p[1])[0];
      const a = px >>> 24;
      const color = rgbToColor(px & 0xff, (px >> 8) & 0xff, (px >> 16) & 0xff);
      throw strayColorError(a === 255 ? color : `${color} with alpha ${a}`, count);
    }
    return { width, height, ids };
  }

  throw new Error(
    `PNG color type ${colorType} is not a label image form this widget reads (indexed or 8-bit RGBA)`,
  );
}
