/**
 * `canvas.crowdseg-image`: the photo at the image's full size, never shown
 * (the screen draws its ScreenLayer straight from the decoded image). Only
 * the assist tools (the magic wand's pixels) and tests read it, so a new
 * image is drawn into it after the first frame has shown that image, not in
 * the switch: at 12 MP the draw (and a resize's allocation) costs tens of
 * milliseconds. It carries `data-pending` until then, and `read()` draws it at
 * once if it is still waiting. A same-size image keeps the canvas's memory.
 */
export class PhotoCanvas {
  readonly canvas = document.createElement("canvas");
  private source: CanvasImageSource | null = null;
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.canvas.className = "crowdseg-image";
    this.canvas.hidden = true;
  }

  /** A new photo of `width` x `height`: drawn in once the next frame is out. */
  set(source: CanvasImageSource, width: number, height: number): void {
    this.cancel();
    this.source = source;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.canvas.dataset.pending = "";
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.timer = setTimeout(() => this.fill(), 0); // after the frame that shows the image
    });
  }

  /** The canvas with the photo in it (drawn now if it was still waiting). */
  read(): HTMLCanvasElement {
    this.fill();
    return this.canvas;
  }

  dispose(): void {
    this.cancel();
    this.source = null;
  }

  private fill(): void {
    this.cancel();
    if (this.source === null || this.canvas.dataset.pending === undefined) return;
    const g = this.canvas.getContext("2d");
    if (g === null) return;
    g.globalCompositeOperation = "copy"; // replaces the last image's pixels, transparent ones too
    g.drawImage(this.source, 0, 0, this.canvas.width, this.canvas.height);
    g.globalCompositeOperation = "source-over";
    delete this.canvas.dataset.pending;
  }

  private cancel(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    if (this.timer !== null) clearTimeout(this.timer);
    this.frame = 0;
    this.timer = null;
  }
}
