import type { Rect } from "../core/rect";
import type { View } from "../core/viewport";

/**
 * Draws source pixels into `dest` (mirror pixels, x1/y1 exclusive) at `kx`/`ky`
 * mirror pixels per source pixel, replacing what was there.
 */
export type MirrorCopy = (g: CanvasRenderingContext2D, dest: Rect, kx: number, ky: number) => void;

/** Wait this long after the last zoom before redrawing at the new resolution. */
const SETTLE_MS = 120;

/**
 * Shows a full-resolution canvas at screen resolution while the view is
 * zoomed out. The browser composites every visible layer on every frame, and
 * a 12-megapixel canvas scaled down costs it 40-100 ms a frame (measured in
 * JupyterLab, headless Chromium), whichever layer changed; a screen-sized copy
 * costs a fraction of that. The source canvas stays the truth (tools and tests
 * read it) and is only hidden, never dropped. A source that changes often
 * gives its own `copy` from its pixels: drawing a canvas into another
 * snapshots the whole source, which at 12 MP is the very cost avoided here.
 *
 * The mirror sits outside the zoomed layer, in screen pixels (inside a scaled
 * layer Chromium would raster it at the layer's full size again). Panning
 * moves it; zooming scales it by CSS until the zoom settles and it is redrawn
 * at the new resolution. At 1:1 or closer it steps aside and the source shows.
 */
export class ScreenMirror {
  readonly canvas = document.createElement("canvas");
  private context: CanvasRenderingContext2D | null = null;
  /** Mirror pixels per source pixel while on (x, y); 0 while off. */
  private factor = 0;
  private factorY = 0;
  private wanted = 0;
  /** The `wanted` the mirror was last drawn for (NaN: draw again). */
  private drawnFor = Number.NaN;
  /** The view (source pixels = image pixels), as last set. */
  private view: View = { tx: 0, ty: 0, scale: 1 };
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly source: HTMLCanvasElement,
    /** Smooth (a photo) or nearest-neighbour (labels, which must stay crisp). */
    private readonly smooth: boolean,
    private readonly copy: MirrorCopy = (g, d, kx, ky) => {
      g.clearRect(d.x0, d.y0, d.x1 - d.x0, d.y1 - d.y0);
      g.drawImage(source, d.x0 / kx, d.y0 / ky, (d.x1 - d.x0) / kx, (d.y1 - d.y0) / ky, d.x0, d.y0, d.x1 - d.x0, d.y1 - d.y0);
    },
  ) {
    this.canvas.className = "crowdseg-mirror";
    this.canvas.style.pointerEvents = "none";
    this.canvas.style.inset = "auto";
    this.canvas.style.left = "0";
    this.canvas.style.top = "0";
    this.canvas.style.transformOrigin = "0 0";
    this.canvas.style.imageRendering = smooth ? "auto" : "pixelated";
    this.canvas.hidden = true;
    this.canvas.setAttribute("aria-hidden", "true");
  }

  /** The view shows source pixel (x, y) at screen (tx + scale x, ty + scale y) CSS pixels. */
  setView({ tx, ty, scale }: View): void {
    this.view = { tx, ty, scale };
    this.place();
    const factor = scale * (window.devicePixelRatio || 1);
    this.wanted = factor < 1 ? factor : 0;
    this.dispose(); // a redraw for an earlier zoom is moot
    if (this.wanted === this.drawnFor) return; // only panned, or back at the drawn zoom
    this.timer = setTimeout(() => {
      this.timer = null;
      this.apply();
    }, SETTLE_MS);
  }

  /** The whole source changed (a new image): redraw now if mirroring. */
  refresh(): void {
    this.drawnFor = Number.NaN;
    this.apply();
  }

  /** Source pixels in `rect` changed: copy them (nearest source pixel) to the mirror. */
  update(rect: Rect): void {
    const g = this.context;
    if (this.factor <= 0 || g === null) return;
    const kx = this.factor;
    const ky = this.factorY;
    const x0 = Math.floor(rect.x0 * kx);
    const y0 = Math.floor(rect.y0 * ky);
    const x1 = Math.min(this.canvas.width, Math.ceil(rect.x1 * kx));
    const y1 = Math.min(this.canvas.height, Math.ceil(rect.y1 * ky));
    if (x1 <= x0 || y1 <= y0) return;
    this.copy(g, { x0, y0, x1, y1 }, kx, ky);
  }

  /** Drop a pending redraw. */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private apply(): void {
    const factor = this.wanted;
    this.drawnFor = factor;
    const { width, height } = this.source;
    if (factor === 0 || width === 0 || height === 0) {
      this.factor = 0;
      this.context = null;
      this.canvas.hidden = true;
      this.canvas.width = this.canvas.height = 0; // give the memory back
      this.source.style.display = "";
      return;
    }
    this.canvas.width = Math.max(1, Math.ceil(width * factor));
    this.canvas.height = Math.max(1, Math.ceil(height * factor));
    this.factor = this.canvas.width / width;
    this.factorY = this.canvas.height / height;
    const g = this.canvas.getContext("2d")!;
    g.imageSmoothingEnabled = this.smooth;
    if (this.smooth) g.imageSmoothingQuality = "high";
    this.context = g;
    this.update({ x0: 0, y0: 0, x1: width, y1: height });
    this.place();
    this.canvas.hidden = false;
    this.source.style.display = "none";
  }

  private place(): void {
    if (this.factor <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    const style = this.canvas.style;
    style.width = `${this.canvas.width / dpr}px`;
    style.height = `${this.canvas.height / dpr}px`;
    // Drawn at factor / dpr CSS pixels per source pixel; the view may have zoomed since.
    const { tx, ty, scale } = this.view;
    style.transform = `translate(${tx}px, ${ty}px) scale(${(scale * dpr) / this.factor}, ${(scale * dpr) / this.factorY})`;
  }
}
