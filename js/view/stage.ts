import type { LabelBuffer } from "../core/labelBuffer";
import { colorToRgb } from "../core/palette";
import { union, type Rect } from "../core/rect";
import type { ImagePoint } from "../tools/tool";
import { suppressShortcuts } from "./dom";

/** Where the stage sends pointer input, already in image pixels. */
export interface PointerSink {
  down(p: ImagePoint): void;
  move(p: ImagePoint): void;
  up(p: ImagePoint): void;
  /** Brush outline radius to preview at the pointer, or null. */
  previewRadius(): number | null;
}

function canvas(className: string): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.className = className;
  return c;
}

/**
 * The canvas stack: the image, the overlay rendered from the label buffer
 * (only dirty rects, once per animation frame), and the input canvas on top
 * that takes pointer and keyboard input and shows the brush outline.
 */
export class Stage {
  readonly el = document.createElement("div");
  private readonly imageCanvas = canvas("crowdseg-image");
  private readonly overlayCanvas = canvas("crowdseg-overlay");
  private readonly input = canvas("crowdseg-input");
  private overlay: CanvasRenderingContext2D | null = null;
  private preview: CanvasRenderingContext2D | null = null;
  private buffer: LabelBuffer | null = null;
  private pixels: ImageData | null = null;
  private pixels32 = new Uint32Array(0);
  /** id → RGBA as one little-endian word; sized for every possible id so lookups need no bounds check. */
  private readonly lut = new Uint32Array(65536);
  private colors: string[] = [];
  private pending: Rect | null = null;
  private frame = 0;
  private stroking = -1; // pointerId of the stroke in progress
  private previewRect: Rect | null = null;
  private readonly cleanups: Array<() => void> = [];

  constructor(private readonly sink: PointerSink) {
    this.el.className = "crowdseg-stage";
    this.input.tabIndex = 0;
    suppressShortcuts(this.input);
    this.input.setAttribute("aria-label", "Image to annotate: drag to paint");
    this.el.append(this.imageCanvas, this.overlayCanvas, this.input);
    this.listen("pointerdown", this.onDown);
    this.listen("pointermove", this.onMove);
    this.listen("pointerup", this.onUp);
    this.listen("pointercancel", this.onUp);
    this.listen("lostpointercapture", this.onUp);
    this.listen("pointerleave", () => this.drawPreview(null));
    this.listen("contextmenu", (e) => e.preventDefault());
  }

  private listen<K extends keyof HTMLElementEventMap>(type: K, handler: (e: HTMLElementEventMap[K]) => void): void {
    const bound = handler.bind(this) as EventListener;
    this.input.addEventListener(type, bound);
    this.cleanups.push(() => this.input.removeEventListener(type, bound));
  }

  /** Show an image of `width` x `height` pixels and paint into `buffer`. */
  setImage(image: CanvasImageSource, buffer: LabelBuffer): void {
    const { width, height } = buffer;
    this.buffer = buffer;
    for (const c of [this.imageCanvas, this.overlayCanvas, this.input]) {
      c.width = width;
      c.height = height;
    }
    // Natural size, scaled down only to fit the widget's width.
    this.el.style.maxWidth = `${width}px`;
    this.el.style.aspectRatio = `${width} / ${height}`;
    this.imageCanvas.getContext("2d")!.drawImage(image, 0, 0, width, height);
    this.overlay = this.overlayCanvas.getContext("2d")!;
    this.preview = this.input.getContext("2d")!;
    this.pixels = this.overlay.createImageData(width, height);
    this.pixels32 = new Uint32Array(this.pixels.data.buffer);
    this.invalidateAll();
  }

  /** Instance colors changed: rebuild the lookup table; re-render only if painted ids changed color. */
  setColors(colors: readonly string[]): void {
    // A new instance's id is not in the buffer yet, so appending a color needs no
    // full re-render (which costs ~50 ms on a 12-megapixel image).
    const appended = this.colors.length <= colors.length && this.colors.every((c, i) => c === colors[i]);
    this.colors = [...colors];
    this.lut.fill(0);
    colors.forEach((color, i) => {
      const [r, g, b] = colorToRgb(color);
      this.lut[i + 1] = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
    });
    if (!appended) this.invalidateAll();
  }

  setOpacity(percent: number): void {
    this.overlayCanvas.style.opacity = String(percent / 100);
  }

  /** Re-render `rect` (null: nothing changed) at the next animation frame. */
  invalidate(rect: Rect | null): void {
    if (rect === null || this.buffer === null) return;
    this.pending = union(this.pending, rect);
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
  }

  invalidateAll(): void {
    if (this.buffer !== null) this.invalidate({ x0: 0, y0: 0, x1: this.buffer.width, y1: this.buffer.height });
  }

  private flush(): void {
    this.frame = 0;
    const rect = this.pending;
    const buffer = this.buffer;
    this.pending = null;
    if (rect === null || buffer === null || this.overlay === null || this.pixels === null) return;
    const { width, data } = buffer;
    const out = this.pixels32;
    const lut = this.lut;
    for (let y = rect.y0; y < rect.y1; y++) {
      const row = y * width;
      for (let i = row + rect.x0, end = row + rect.x1; i < end; i++) out[i] = lut[data[i]];
    }
    this.overlay.putImageData(this.pixels, 0, 0, rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0);
  }

  /** Image pixel under the pointer: floor of the image coordinate. */
  private toImage(e: PointerEvent): ImagePoint {
    const box = this.input.getBoundingClientRect();
    return {
      x: Math.floor(((e.clientX - box.left) * this.input.width) / box.width),
      y: Math.floor(((e.clientY - box.top) * this.input.height) / box.height),
    };
  }

  private onDown(e: PointerEvent): void {
    this.input.focus({ preventScroll: true });
    if (this.buffer === null || e.button !== 0 || this.stroking !== -1) return;
    e.preventDefault();
    this.stroking = e.pointerId;
    this.input.setPointerCapture(e.pointerId);
    const p = this.toImage(e);
    this.sink.down(p);
    this.drawPreview(p);
  }

  private onMove(e: PointerEvent): void {
    if (this.buffer === null) return;
    const p = this.toImage(e);
    if (this.stroking === e.pointerId) this.sink.move(p);
    this.drawPreview(p);
  }

  private onUp(e: PointerEvent): void {
    if (this.stroking !== e.pointerId) return;
    this.stroking = -1;
    if (this.input.hasPointerCapture(e.pointerId)) this.input.releasePointerCapture(e.pointerId);
    this.sink.up(this.toImage(e));
  }

  /** The brush outline at `p` (null: hide); clears only the previous outline's box. */
  drawPreview(p: ImagePoint | null): void {
    const g = this.preview;
    if (g === null) return;
    if (this.previewRect !== null) {
      const r = this.previewRect;
      g.clearRect(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
      this.previewRect = null;
    }
    const radius = p === null ? null : this.sink.previewRadius();
    if (p === null || radius === null) return;
    const box = this.input.getBoundingClientRect();
    const px = box.width > 0 ? this.input.width / box.width : 1; // image pixels per CSS pixel
    const r = radius + 0.5;
    const cx = p.x + 0.5;
    const cy = p.y + 0.5;
    const margin = Math.ceil(r + 3 * px) + 1;
    this.previewRect = { x0: p.x - margin, y0: p.y - margin, x1: p.x + margin + 1, y1: p.y + margin + 1 };
    g.beginPath();
    g.arc(cx, cy, r, 0, 2 * Math.PI);
    g.lineWidth = 3 * px;
    g.strokeStyle = "rgba(0, 0, 0, 0.6)";
    g.stroke();
    g.lineWidth = 1.5 * px;
    g.strokeStyle = "rgba(255, 255, 255, 0.95)";
    g.stroke();
  }

  dispose(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    for (const undo of this.cleanups) undo();
  }
}
