import type { LabelBuffer } from "../core/labelBuffer";
import { clip, type Rect } from "../core/rect";
import type { Review } from "../core/review";

/**
 * The "show changes" view: a canvas in the stage's stack, above the instance
 * overlay, with the pixels added (green), removed (magenta) and moved between
 * instances (amber) since the start. It renders the rects the stage renders,
 * so a stroke costs only its dirty rect here too.
 */
export class ChangesLayer {
  readonly canvas = document.createElement("canvas");
  private context: CanvasRenderingContext2D | null = null;
  private pixels: ImageData | null = null;
  private pixels32 = new Uint32Array(0);

  constructor() {
    this.canvas.className = "crowdseg-changes";
    this.canvas.hidden = true;
  }

  get visible(): boolean {
    return !this.canvas.hidden;
  }

  setSize(width: number, height: number): void {
    this.canvas.width = width;
    this.canvas.height = height;
    this.context = this.canvas.getContext("2d")!;
    this.pixels = this.context.createImageData(width, height);
    this.pixels32 = new Uint32Array(this.pixels.data.buffer);
  }

  /** Show or hide; shown, it is rendered in full at once. */
  show(visible: boolean, review: Review | null, buffer: LabelBuffer | null): void {
    this.canvas.hidden = !visible;
    if (visible && buffer !== null) this.render(review, buffer, { x0: 0, y0: 0, x1: buffer.width, y1: buffer.height });
  }

  /** Re-render `rect` (only while shown: hidden, it is rendered in full when shown again). */
  render(review: Review | null, buffer: LabelBuffer, rect: Rect): void {
    const r = clip(rect, buffer.width, buffer.height);
    if (!this.visible || r === null || this.context === null || this.pixels === null) return;
    if (review === null || review.start.length !== buffer.data.length) {
      for (let y = r.y0; y < r.y1; y++) this.pixels32.fill(0, y * buffer.width + r.x0, y * buffer.width + r.x1);
    } else {
      review.renderChanges(buffer.data, buffer.width, r, this.pixels32);
    }
    this.context.putImageData(this.pixels, 0, 0, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
  }
}
