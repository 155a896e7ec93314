import type { LabelBuffer } from "./labelBuffer";
import { colorToRgb } from "./palette";
import { clip, type Rect } from "./rect";

/** An opaque color as one RGBA pixel word (little-endian: the bytes of ImageData are r, g, b, a). */
export function rgbaWord(color: string): number {
  const [r, g, b] = colorToRgb(color);
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/**
 * How the label buffer looks, as RGBA pixel words, without the DOM: each
 * instance in its color (none for background and hidden instances), filled
 * or, in the outline view, only where a 4-neighbour has another id (or at
 * the image's edge). The opacity is not in the words: it is the overlay's
 * CSS opacity, so moving the slider re-renders nothing.
 */
export class OverlayRender {
  /** id → RGBA word; sized for every possible id so lookups need no bounds check. */
  private readonly lut = new Uint32Array(65536);
  private colors: string[] = [];
  private hiddenColors: ReadonlySet<string> = new Set();
  private outlineView = false;

  get hidden(): ReadonlySet<string> {
    return this.hiddenColors;
  }

  get outline(): boolean {
    return this.outlineView;
  }

  /** The word of instance `id` (0: transparent). */
  word(id: number): number {
    return this.lut[id];
  }

  /**
   * Instance colors (index = id - 1) and the hidden ones (by color). True when
   * painted pixels may look different, i.e. everything must be rendered again;
   * only appending colors is not (a new instance's id is not painted yet, and
   * a full render costs ~50 ms on a 12-megapixel image).
   */
  setColors(colors: readonly string[], hidden: ReadonlySet<string> = this.hiddenColors): boolean {
    const appended =
      hidden === this.hiddenColors &&
      this.colors.length <= colors.length &&
      this.colors.every((c, i) => c === colors[i]);
    this.colors = [...colors];
    this.hiddenColors = new Set(hidden);
    this.lut.fill(0);
    colors.forEach((color, i) => {
      if (!this.hiddenColors.has(color)) this.lut[i + 1] = rgbaWord(color);
    });
    return !appended;
  }

  /** Outline view on or off; true when it changed (everything must be rendered again). */
  setOutline(outline: boolean): boolean {
    if (outline === this.outlineView) return false;
    this.outlineView = outline;
    return true;
  }

  /**
   * The pixels whose look a change of the ids in `changed` may alter, cut to
   * the image (null: none in it). In the outline view a change also changes
   * its neighbours' look, so the rect grows by one pixel.
   */
  affected(changed: Rect, width: number, height: number): Rect | null {
    const grow = this.outlineView ? 1 : 0;
    return clip({ x0: changed.x0 - grow, y0: changed.y0 - grow, x1: changed.x1 + grow, y1: changed.y1 + grow }, width, height);
  }

  /** The look of `rect` (inside the image) into `out`, one word per pixel of the rect, row-major. */
  renderRect(buffer: LabelBuffer, rect: Rect, out: Uint32Array): void {
    const w = rect.x1 - rect.x0;
    if (this.outlineView) {
      const columns = Int32Array.from({ length: w }, (_, i) => rect.x0 + i);
      const rows = Int32Array.from({ length: rect.y1 - rect.y0 }, (_, i) => rect.y0 + i);
      this.sample(buffer, columns, rows, { x0: 0, y0: 0, x1: w, y1: rows.length }, out, w);
      return;
    }
    const { width, data } = buffer;
    const lut = this.lut;
    for (let y = rect.y0, o = 0; y < rect.y1; y++) {
      for (let i = y * width + rect.x0, end = i + w; i < end; i++, o++) out[o] = lut[data[i]];
    }
  }

  /**
   * Pixels `dest` of a screen canvas into `out` (one word per canvas pixel,
   * row-major, `stride` words a row): canvas pixel (x, y) shows image pixel
   * (columns[x], rows[y]), transparent where either is -1 (outside the
   * image). Straight from the ids, so its cost is the dest's size, never the
   * image's; a canvas row showing the same image row as the one above is a copy.
   */
  sample(buffer: LabelBuffer, columns: Int32Array, rows: Int32Array, dest: Rect, out: Uint32Array, stride: number): void {
    const { width, height, data } = buffer;
    const lut = this.lut;
    const outline = this.outlineView;
    for (let y = dest.y0; y < dest.y1; y++) {
      const o = y * stride;
      const iy = rows[y];
      if (iy < 0) {
        out.fill(0, o + dest.x0, o + dest.x1);
        continue;
      }
      if (y > dest.y0 && rows[y - 1] === iy) {
        out.copyWithin(o + dest.x0, o - stride + dest.x0, o - stride + dest.x1);
        continue;
      }
      const row = iy * width;
      const edgeRow = iy === 0 || iy === height - 1;
      for (let x = dest.x0; x < dest.x1; x++) {
        const ix = columns[x];
        if (ix < 0) {
          out[o + x] = 0;
          continue;
        }
        const i = row + ix;
        const v = data[i];
        if (!outline || v === 0) {
          out[o + x] = lut[v];
          continue;
        }
        const edge =
          edgeRow || ix === 0 || ix === width - 1 ||
          data[i - 1] !== v || data[i + 1] !== v || data[i - width] !== v || data[i + width] !== v;
        out[o + x] = edge ? lut[v] : 0;
      }
    }
  }
}
