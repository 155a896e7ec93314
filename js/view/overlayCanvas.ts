import type { LabelBuffer } from "../core/labelBuffer";
import type { OverlayRender } from "../core/overlayRender";
import { union, type Rect } from "../core/rect";
import { measureSince } from "../core/userTiming";

/** Pixels rendered and put per slice: well under a millisecond. */
const SLICE_PIXELS = 1 << 16;
/** At most this much work per idle callback, so no slice run is a long task. */
const BUDGET_MS = 4;
/** An idle callback runs at the latest this long after it was asked for, busy or not. */
const IDLE_TIMEOUT_MS = 100;
/**
 * Start only once changes have paused this long: during a stroke every move
 * grows the stale rect above the rows already drawn, so drawing then would
 * draw the same rows again and again; after it, the stroke's rect once.
 */
const QUIET_MS = 50;

/**
 * `canvas.crowdseg-overlay`: the label buffer's look at the image's full
 * size (each instance in its exact color, no opacity), never shown. It is the
 * pixel truth that tests and tools may read; the screen shows the overlay
 * through a ScreenLayer instead. It is brought up to date off the frame path,
 * once changes pause, in slices of a few rows during idle time, so a fill of
 * most of a 12 MP image costs the frame nothing here. While it is behind the buffer it
 * carries `data-pending` (the rows left), so a reader knows to wait.
 */
export class OverlayCanvas {
  readonly canvas = document.createElement("canvas");
  private buffer: LabelBuffer | null = null;
  /** What is not drawn yet; rows are drawn from its top, so it shrinks from y0. */
  private stale: Rect | null = null;
  private idle = 0;
  private pixels: ImageData | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private quiet: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly look: OverlayRender) {
    this.canvas.className = "crowdseg-overlay";
    this.canvas.hidden = true;
    this.canvas.setAttribute("aria-hidden", "true");
  }

  /** A new buffer: the canvas takes its size and is drawn in full (every row put again). */
  setBuffer(buffer: LabelBuffer): void {
    this.buffer = buffer;
    if (this.canvas.width !== buffer.width || this.canvas.height !== buffer.height) {
      this.canvas.width = buffer.width; // same size: the canvas's memory is kept, no reallocation
      this.canvas.height = buffer.height;
    }
    this.stale = null;
    this.invalidate({ x0: 0, y0: 0, x1: buffer.width, y1: buffer.height });
  }

  /** The look of `rect` (cut to the image, grown for the outline view already) changed. */
  invalidate(rect: Rect): void {
    if (this.buffer === null) return;
    this.stale = union(this.stale, rect);
    this.mark();
    if (this.quiet !== null) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => {
      this.quiet = null;
      this.schedule();
    }, QUIET_MS);
  }

  dispose(): void {
    if (this.idle !== 0) cancelIdleCallback(this.idle);
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.quiet !== null) clearTimeout(this.quiet);
    this.idle = 0;
    this.timer = null;
    this.quiet = null;
  }

  private schedule(): void {
    if (this.idle !== 0 || this.timer !== null || this.quiet !== null || this.stale === null) return;
    const run = (): void => {
      this.idle = 0;
      this.timer = null;
      const start = performance.now();
      do this.slice();
      while (this.stale !== null && performance.now() - start < BUDGET_MS);
      this.mark();
      measureSince("crowdseg-overlay-idle", start);
      this.schedule();
    };
    if (typeof requestIdleCallback === "function") this.idle = requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS });
    else this.timer = setTimeout(run, 0);
  }

  /** Draw the top rows of what is stale. */
  private slice(): void {
    const { buffer, stale } = this;
    const g = this.canvas.getContext("2d");
    if (buffer === null || stale === null || g === null) {
      this.stale = null;
      return;
    }
    const width = stale.x1 - stale.x0;
    const rows = Math.min(stale.y1 - stale.y0, Math.max(1, Math.floor(SLICE_PIXELS / width)));
    const rect = { x0: stale.x0, y0: stale.y0, x1: stale.x1, y1: stale.y0 + rows };
    if (this.pixels?.width !== width || this.pixels.height !== rows) this.pixels = g.createImageData(width, rows);
    const pixels = this.pixels; // reused: no garbage per slice
    this.look.renderRect(buffer, rect, new Uint32Array(pixels.data.buffer));
    g.putImageData(pixels, rect.x0, rect.y0);
    this.stale = rect.y1 >= stale.y1 ? null : { ...stale, y0: rect.y1 };
  }

  private mark(): void {
    if (this.stale === null) delete this.canvas.dataset.pending;
    else this.canvas.dataset.pending = String(this.stale.y1 - this.stale.y0);
  }
}
