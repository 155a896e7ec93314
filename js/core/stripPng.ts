/**
 * Label map → the PNG of docs/format.md (indexed, palette index i = instance i,
 * index 0 transparent black; 8-bit RGBA beyond 255 instances), kept as
 * horizontal strips so an edit re-deflates only the strips it touched.
 *
 * Each strip is deflated on its own (fresh state) and ended with a sync
 * flush, so it is byte-aligned, non-final and needs nothing before it; the
 * strips in order, a final empty block and the Adler-32 combined from the
 * strips' sums make one ordinary zlib stream: a plain PNG any reader decodes.
 * Rows use PNG's "Up" filter (a strip's first row "None", so strips stay
 * independent): rows like the one above become zeros.
 */
import { Deflate, Z_RLE, Z_SYNC_FLUSH } from "pako";
import { adler32, adler32Combine, chunk, concat, ihdr, SIGNATURE } from "./pngChunks";
import { colorToRgb } from "./palette";

const MAX_INDEXED_INSTANCES = 255;
/**
 * A strip is first deflated fast: pako (zlib's own algorithm) with zlib's
 * run-length strategy on rows filtered "Up", ~3x faster than fflate's level 4
 * on a 12-megapixel label map and 40% smaller. `compact` strips (re-deflated
 * while the worker is idle) use Pillow's `optimize` recipe instead, rows
 * unfiltered at level 9: ~15% smaller again, ~25x slower (bench/README.md).
 * fflate's own sync flush writes a broken block (0.8.3), so strips need pako.
 */
const FAST = { raw: true, level: 6, strategy: Z_RLE } as const;
const COMPACT = { raw: true, level: 9 } as const;
/** Ids per strip to aim for: small enough that a stroke re-deflates little, big enough to compress well. */
const STRIP_PIXELS = 131072;
/** zlib header (deflate, 32 KiB window, no dictionary) and a final, empty fixed-Huffman block. */
const ZLIB_HEADER = [0x78, 0x01];
const FINAL_EMPTY_BLOCK = [0x03, 0x00];

/** Palette bit depth for `entries` colors (background included). */
export function indexedBitDepth(entries: number): 1 | 2 | 4 | 8 {
  if (entries <= 2) return 1;
  if (entries <= 4) return 2;
  if (entries <= 16) return 4;
  return 8;
}

/**
 * Rows per strip for an image `width` ids wide: a power of two, at least 2
 * (so every strip starts 4-byte aligned in a Uint16Array, for fast diffs).
 */
export function stripRowsFor(width: number): number {
  let rows = 2;
  while (rows * 2 * width <= STRIP_PIXELS) rows *= 2;
  return rows;
}

/**
 * What the pixel bytes depend on besides the ids: bit depth and color type,
 * and for RGBA the colors themselves. Strips of another key must be re-encoded.
 */
export function pngFormatKey(colors: readonly string[]): string {
  const n = colors.length;
  if (n <= MAX_INDEXED_INSTANCES) return `indexed/${indexedBitDepth(n + 1)}`;
  return `rgba/${colors.join(",").toLowerCase()}`;
}

interface Strip {
  deflated: Uint8Array;
  compact: boolean;
  adler: number;
  /** Bytes of scanlines (filter bytes included) it holds. */
  rawLength: number;
  maxId: number;
}

/**
 * A `width` x `height` label map's PNG, strip by strip: `setStrip` re-encodes
 * one strip from its ids, `png` assembles the file from all of them.
 */
export class StripPngEncoder {
  readonly stripRows: number;
  readonly stripCount: number;
  readonly formatKey: string;
  private colors: readonly string[];
  private readonly strips: Array<Strip | null>;
  private readonly bitDepth: 1 | 2 | 4 | 8;
  /** Little-endian RGBA per id, for the RGBA form. */
  private readonly rgbaLut: Uint32Array | null;

  constructor(
    readonly width: number,
    readonly height: number,
    colors: readonly string[],
    stripRows = stripRowsFor(width),
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new Error(`label map size must be positive integers, got ${width}x${height}`);
    }
    if (!Number.isInteger(stripRows) || stripRows < 2 || stripRows % 2 !== 0) {
      throw new Error(`strips must be an even number of rows, got ${stripRows}`);
    }
    this.stripRows = stripRows;
    this.stripCount = Math.ceil(height / this.stripRows);
    this.strips = new Array<Strip | null>(this.stripCount).fill(null);
    this.colors = [...colors];
    this.formatKey = pngFormatKey(colors);
    const n = colors.length;
    if (n <= MAX_INDEXED_INSTANCES) {
      this.bitDepth = indexedBitDepth(n + 1);
      this.rgbaLut = null;
    } else {
      this.bitDepth = 8;
      this.rgbaLut = new Uint32Array(n + 1);
      colors.map(colorToRgb).forEach(([r, g, b], i) => (this.rgbaLut![i + 1] = ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0));
    }
  }

  /** Rows y0..y1 (exclusive) of strip `index`. */
  stripBounds(index: number): [number, number] {
    const y0 = index * this.stripRows;
    return [y0, Math.min(this.height, y0 + this.stripRows)];
  }

  /** New instance colors of the same format (the palette changes; the pixel bytes do not). */
  setColors(colors: readonly string[]): void {
    const key = pngFormatKey(colors);
    if (key !== this.formatKey) {
      throw new Error(`colors of format ${key} given to a strip encoder of format ${this.formatKey}`);
    }
    this.colors = [...colors];
  }

  /** Re-encode strip `index` from its ids (its rows of the label map, row-major), fast or `compact`. */
  setStrip(index: number, ids: Uint16Array, compact = false): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.stripCount) {
      throw new Error(`strip ${index} is outside 0..${this.stripCount - 1}`);
    }
    const [y0, y1] = this.stripBounds(index);
    if (ids.length !== (y1 - y0) * this.width) {
      throw new Error(`strip ${index} has ${ids.length} ids, expected ${y1 - y0} rows of ${this.width}`);
    }
    const up = !compact;
    const { raw, maxId } = this.rgbaLut === null ? this.indexedRows(ids, up) : this.rgbaRows(ids, this.rgbaLut, up);
    const deflate = new Deflate(compact ? COMPACT : FAST);
    // A sync flush: byte-aligned and not final, so the next strip's blocks may follow.
    if (!deflate.push(raw, Z_SYNC_FLUSH)) throw new Error(`deflate failed: ${deflate.msg}`);
    this.strips[index] = { deflated: concat(deflate.chunks), compact, adler: adler32(raw), rawLength: raw.length, maxId };
  }

  /** The first strip deflated fast (not yet compact), or -1. */
  looseStrip(): number {
    return this.strips.findIndex((strip) => strip !== null && !strip.compact);
  }

  /** The whole PNG. Throws if a strip was never set or holds an id without a color. */
  png(): Uint8Array {
    let adler = 1; // Adler-32 of nothing
    let maxId = 0;
    const body: Uint8Array[] = [new Uint8Array(ZLIB_HEADER)];
    this.strips.forEach((strip, index) => {
      if (strip === null) throw new Error(`strip ${index} of the label map was never encoded`);
      adler = adler32Combine(adler, strip.adler, strip.rawLength);
      maxId = Math.max(maxId, strip.maxId);
      body.push(strip.deflated);
    });
    const n = this.colors.length;
    if (maxId > n) {
      throw new Error(`label buffer holds instance id ${maxId} but only ${n} instance colors were given`);
    }
    const trailer = new Uint8Array(6);
    trailer.set(FINAL_EMPTY_BLOCK);
    new DataView(trailer.buffer).setUint32(2, adler);
    body.push(trailer);
    const signature = new Uint8Array(SIGNATURE);
    const srgb = chunk("sRGB", new Uint8Array([0])); // perceptual, as SageMaker writes it
    const idat = chunk("IDAT", concat(body));
    const iend = chunk("IEND", new Uint8Array(0));
    if (this.rgbaLut !== null) {
      return concat([signature, chunk("IHDR", ihdr(this.width, this.height, 8, 6)), srgb, idat, iend]);
    }
    const plte = new Uint8Array(3 * (n + 1)); // entry 0 stays 000000
    this.colors.map(colorToRgb).forEach(([r, g, b], i) => plte.set([r, g, b], 3 * (i + 1)));
    return concat([
      signature,
      chunk("IHDR", ihdr(this.width, this.height, this.bitDepth, 3)),
      srgb,
      chunk("PLTE", plte),
      chunk("tRNS", new Uint8Array([0])), // only index 0 is transparent
      idat,
      iend,
    ]);
  }

  /** Scanlines of the indexed form: ids packed at the bit depth, `up`: each row less the one above. */
  private indexedRows(ids: Uint16Array, up: boolean): { raw: Uint8Array; maxId: number } {
    const { width, bitDepth } = this;
    const rows = ids.length / width;
    if (bitDepth === 8) return idsRows(ids, width, rows, up);
    const rowBytes = Math.ceil((width * bitDepth) / 8);
    const raw = new Uint8Array((rowBytes + 1) * rows);
    const mask = (1 << bitDepth) - 1;
    let maxId = 0;
    for (let y = 0; y < rows; y++) {
      const row = y * width;
      for (let x = 0, i = y * (rowBytes + 1) + 1; x < width; i++) {
        let byte = 0;
        for (let shift = 8 - bitDepth; shift >= 0 && x < width; shift -= bitDepth, x++) {
          const v = ids[row + x];
          if (v > maxId) maxId = v;
          byte |= (v & mask) << shift;
        }
        raw[i] = byte;
      }
    }
    if (up) filterUp(raw, rowBytes + 1);
    return { raw, maxId };
  }

  /** Scanlines of the RGBA form: filter byte 0 then 4 bytes per pixel (background 0,0,0,0). */
  private rgbaRows(ids: Uint16Array, lut: Uint32Array, up: boolean): { raw: Uint8Array; maxId: number } {
    const { width } = this;
    const rows = ids.length / width;
    const rowBytes = 4 * width + 1;
    const raw = new Uint8Array(rowBytes * rows);
    const rowPixels = new Uint32Array(width);
    const rowBytesView = new Uint8Array(rowPixels.buffer);
    let maxId = 0;
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < width; x++) {
        const v = ids[y * width + x];
        if (v > maxId) maxId = v;
        rowPixels[x] = v < lut.length ? lut[v] : 0; // an id without a color fails in `png`
      }
      raw.set(rowBytesView, y * rowBytes + 1);
    }
    if (up) filterUp(raw, rowBytes);
    return { raw, maxId };
  }
}

/** 8-bit scanlines straight from the ids; `up`: filtered "Up" (the first row "None") in the same pass. */
function idsRows(ids: Uint16Array, width: number, rows: number, up: boolean): { raw: Uint8Array; maxId: number } {
  const stride = width + 1;
  const raw = new Uint8Array(stride * rows);
  let maxId = 0;
  for (let x = 0; x < width; x++) {
    const v = ids[x];
    if (v > maxId) maxId = v;
    raw[1 + x] = v;
  }
  for (let y = 1; y < rows; y++) {
    raw[y * stride] = up ? 2 : 0;
    for (let x = 0, i = y * width, out = y * stride + 1; x < width; x++, i++, out++) {
      const v = ids[i];
      if (v > maxId) maxId = v;
      raw[out] = up ? v - ids[i - width] : v; // stored modulo 256, as the filter defines
    }
  }
  return { raw, maxId };
}

/** PNG filter "Up" on every row but the first, in place (bottom-up, so each row still sees the unfiltered one above). */
function filterUp(raw: Uint8Array, stride: number): void {
  for (let row = raw.length - stride; row > 0; row -= stride) {
    raw[row] = 2;
    for (let i = row + 1, above = row + 1 - stride; i < row + stride; i++, above++) raw[i] -= raw[above];
  }
}

/**
 * Encode a label map (0 background, i = instance i) as the PNG of docs/format.md.
 * `colors[i-1]` is instance i's '#rrggbb'.
 */
export function encodeLabelPng(ids: Uint16Array, width: number, height: number, colors: readonly string[]): Uint8Array {
  if (ids.length !== width * height) {
    throw new Error(`label data has ${ids.length} pixels, expected ${width}x${height}`);
  }
  const encoder = new StripPngEncoder(width, height, colors);
  return encodeLabelPngStrips(encoder, ids, Array.from({ length: encoder.stripCount }, (_, i) => i));
}

/** Re-encode `strips` of `encoder` from the whole label map `ids`; the PNG. */
export function encodeLabelPngStrips(encoder: StripPngEncoder, ids: Uint16Array, strips: readonly number[]): Uint8Array {
  for (const index of strips) {
    const [y0, y1] = encoder.stripBounds(index);
    encoder.setStrip(index, ids.subarray(y0 * encoder.width, y1 * encoder.width));
  }
  return encoder.png();
}
