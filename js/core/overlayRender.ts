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
   * Write into `out` (one word per buffer pixel, row-major) the pixels whose
   * look a change of the ids in `changed` may alter, and return that rect
   * (null: none in the image). In the outline view a change also changes its
   * neighbours' look, so the rect grows by one pixel.
   */
  render(buffer: LabelBuffer, changed: Rect, out: Uint32Array): Rect | null {
    const grow = this.outlineView ? 1 : 0;
    const rect = clip(
      { x0: changed.x0 - grow, y0: changed.y0 - grow, x1: changed.x1 + grow, y1: changed.y1 + grow },
      buffer.width,
      buffer.height,
    );
    if (rect === null) return null;
    if (this.outlineView) this.renderOutline(buffer, rect, out);
    else this.renderFill(buffer, rect, out);
    return rect;
  }

  private renderFill({ width, data }: LabelBuffer, rect: Rect, out: Uint32Array): void {
    const lut = this.lut;
    for (let y = rect.y0; y < rect.y1; y++) {
      const row = y * width;
      for (let i = row + rect.x0, end = row + rect.x1; i < end; i++) out[i] = lut[data[i]];
    }
  }

  private renderOutline({ width, height, data }: LabelBuffer, rect: Rect, out: Uint32Array): void {
    const lut = this.lut;
    for (let y = rect.y0; y < rect.y1; y++) {
      const row = y * width;
      for (let x = rect.x0; x < rect.x1; x++) {
        const i = row + x;
        const v = data[i];
        const edge =
          v !== 0 &&
          (x === 0 || x === width - 1 || y === 0 || y === height - 1 ||
            data[i - 1] !== v || data[i + 1] !== v || data[i - width] !== v || data[i + width] !== v);
        out[i] = edge ? lut[v] : 0;
      }
    }
  }
}

/**
 * A scaled-down copy of `source` words (`size.width` x `size.height`): each
 * pixel of `dest` (in the copy's pixels, x1/y1 exclusive) gets the source
 * pixel nearest to its centre, at `kx`/`ky` copy pixels per source pixel.
 * Returns the `dest` pixels, row-major.
 */
export function sampleNearest(
  source: Uint32Array,
  size: { width: number; height: number },
  dest: Rect,
  kx: number,
  ky: number,
  out: Uint32Array = new Uint32Array((dest.x1 - dest.x0) * (dest.y1 - dest.y0)),
): Uint32Array {
  const w = dest.x1 - dest.x0;
  const columns = new Int32Array(w);
  for (let x = 0; x < w; x++) columns[x] = Math.min(size.width - 1, Math.floor((dest.x0 + x + 0.5) / kx));
  for (let y = dest.y0, o = 0; y < dest.y1; y++) {
    const row = Math.min(size.height - 1, Math.floor((y + 0.5) / ky)) * size.width;
    for (let x = 0; x < w; x++, o++) out[o] = source[row + columns[x]];
  }
  return out;
}
