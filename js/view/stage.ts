import { disk } from "../core/disk";
import type { LabelBuffer } from "../core/labelBuffer";
import { colorToRgb } from "../core/palette";
import { clip, union, type Rect } from "../core/rect";
import type { ImagePoint, PreviewPainter } from "../tools/tool";
import { suppressShortcuts } from "./dom";
import { ScreenMirror } from "./screenMirror";

/** Where the stage sends pointer input, already in image pixels. */
export interface PointerSink {
  down(p: ImagePoint): void;
  move(p: ImagePoint): void;
  up(p: ImagePoint): void;
  /** Brush radius whose exact footprint to outline at the pointer, or null. */
  previewRadius(): number | null;
  /** The active tool's own preview (e.g. a polygon in progress). */
  drawPreview?(painter: PreviewPainter, pointer: ImagePoint | null): void;
  /** Zoom or pan changed (toolbar readout). */
  viewChanged?(): void;
}

/** Zoom limits, in screen (CSS) pixels per image pixel. */
export const MAX_SCALE = 64;
const MIN_SCALE_OF_FIT = 0.25;
/** Screen pixels within which a click hits a point (polygon's first vertex). */
export const HIT_CSS_PIXELS = 6;

function canvas(className: string): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.className = className;
  return c;
}

/**
 * The canvas stack inside a viewport that zooms and pans: the image, the
 * overlay rendered from the label buffer (only dirty rects, once per
 * animation frame, nearest-neighbour so pixels stay crisp), any extra layers,
 * and the input canvas on top that takes pointer and keyboard input. All of
 * them have the image's pixel size and move together under one CSS transform.
 * A screen-sized preview canvas above them draws the brush footprint and the
 * tool's preview in screen pixels, sharp at every zoom.
 */
export class Stage {
  readonly el = document.createElement("div");
  private readonly layer = document.createElement("div");
  private readonly imageCanvas = canvas("crowdseg-image");
  private readonly overlayCanvas = canvas("crowdseg-overlay");
  private readonly input = canvas("crowdseg-input");
  private readonly previewCanvas = canvas("crowdseg-preview");
  private overlay: CanvasRenderingContext2D | null = null;
  private preview: CanvasRenderingContext2D | null = null;
  /** Screen-resolution stand-ins for the image and the overlay while zoomed out. */
  private readonly imageMirror = new ScreenMirror(this.imageCanvas, true);
  private readonly overlayMirror = new ScreenMirror(this.overlayCanvas, false, (g, d, kx, ky) =>
    this.sampleOverlay(g, d, kx, ky),
  );
  private buffer: LabelBuffer | null = null;
  private pixels: ImageData | null = null;
  private pixels32 = new Uint32Array(0);
  /** id → RGBA as one little-endian word; sized for every possible id so lookups need no bounds check. */
  private readonly lut = new Uint32Array(65536);
  private colors: string[] = [];
  private hidden: ReadonlySet<string> = new Set();
  private outline = false;
  private pending: Rect | null = null;
  private frame = 0;
  private previewFrame = 0;
  private stroking = -1; // pointerId of the stroke in progress
  private panning: { id: number; x: number; y: number } | null = null;
  private spaceHeld = false;
  /** The pointer in viewport CSS pixels, or null when it is outside. */
  private pointer: { x: number; y: number } | null = null;
  // View transform: screen = translate + scale * image (CSS pixels of the viewport).
  private scale = 1;
  private tx = 0;
  private ty = 0;
  private fitted = true;
  private readonly resizeObserver: ResizeObserver | null = null;
  private readonly cleanups: Array<() => void> = [];
  /** Called after each overlay render with the rect rendered (extra layers follow it). */
  onRender: ((rect: Rect) => void) | null = null;

  constructor(private readonly sink: PointerSink) {
    this.el.className = "crowdseg-stage";
    this.layer.className = "crowdseg-layer";
    this.input.tabIndex = 0;
    suppressShortcuts(this.input);
    this.input.setAttribute("aria-label", "Image to annotate: drag to paint, wheel to zoom, space-drag to pan");
    this.layer.append(this.imageCanvas, this.overlayCanvas, this.input);
    this.el.append(this.imageMirror.canvas, this.overlayMirror.canvas, this.layer, this.previewCanvas);
    this.listen(this.el, "pointerdown", this.onDown);
    this.listen(this.el, "pointermove", this.onMove);
    this.listen(this.el, "pointerup", this.onUp);
    this.listen(this.el, "pointercancel", this.onUp);
    this.listen(this.el, "lostpointercapture", this.onUp);
    this.listen(this.el, "pointerleave", () => {
      this.pointer = null;
      this.schedulePreview();
    });
    this.listen(this.el, "contextmenu", (e) => e.preventDefault());
    // Middle button: pan, not the browser's autoscroll or paste.
    this.listen(this.el, "mousedown", (e) => {
      if (e.button === 1) e.preventDefault();
    });
    this.listen(this.el, "wheel", this.onWheel, { passive: false });
    this.listen(this.input, "keydown", (e) => {
      if (e.key === " ") {
        this.spaceHeld = true;
        this.el.classList.add("is-pan-ready");
        e.preventDefault(); // no page scroll
        e.stopPropagation();
      }
    });
    this.listen(this.input, "keyup", (e) => {
      if (e.key === " ") {
        this.spaceHeld = false;
        this.el.classList.remove("is-pan-ready");
        e.stopPropagation();
      }
    });
    this.listen(this.input, "blur", () => {
      this.spaceHeld = false;
      this.el.classList.remove("is-pan-ready");
    });
    if (typeof ResizeObserver !== "undefined") {
      this.resizeObserver = new ResizeObserver(() => this.onResize());
      this.resizeObserver.observe(this.el);
    }
  }

  private listen<K extends keyof HTMLElementEventMap>(
    target: HTMLElement,
    type: K,
    handler: (e: HTMLElementEventMap[K]) => void,
    options?: AddEventListenerOptions,
  ): void {
    const bound = handler.bind(this) as EventListener;
    target.addEventListener(type, bound, options);
    this.cleanups.push(() => target.removeEventListener(type, bound, options));
  }

  /** Show an image of `width` x `height` pixels and paint into `buffer`. */
  setImage(image: CanvasImageSource, buffer: LabelBuffer): void {
    const { width, height } = buffer;
    this.buffer = buffer;
    for (const c of this.layer.querySelectorAll("canvas")) {
      c.width = width;
      c.height = height;
    }
    this.layer.style.width = `${width}px`;
    this.layer.style.height = `${height}px`;
    // The viewport: natural size, scaled down only to fit the widget's width.
    this.el.style.maxWidth = `${width}px`;
    this.el.style.aspectRatio = `${width} / ${height}`;
    this.imageCanvas.getContext("2d")!.drawImage(image, 0, 0, width, height);
    this.imageMirror.refresh();
    this.overlay = this.overlayCanvas.getContext("2d")!;
    this.pixels = this.overlay.createImageData(width, height);
    this.pixels32 = new Uint32Array(this.pixels.data.buffer);
    this.fit();
    this.invalidateAll();
  }

  /** Another canvas of the image's size in the zoomed stack (above the overlay, below the input). */
  addLayer(layer: HTMLCanvasElement): void {
    this.layer.insertBefore(layer, this.input);
    if (this.buffer !== null) {
      layer.width = this.buffer.width;
      layer.height = this.buffer.height;
    }
  }

  /** Instance colors (index = id - 1) and the hidden ones (by color); re-renders only if painted ids changed look. */
  setColors(colors: readonly string[], hidden: ReadonlySet<string> = this.hidden): void {
    // A new instance's id is not in the buffer yet, so appending a color needs no
    // full re-render (which costs ~50 ms on a 12-megapixel image).
    const appended =
      hidden === this.hidden && this.colors.length <= colors.length && this.colors.every((c, i) => c === colors[i]);
    this.colors = [...colors];
    this.hidden = new Set(hidden);
    this.lut.fill(0);
    colors.forEach((color, i) => {
      if (this.hidden.has(color)) return;
      const [r, g, b] = colorToRgb(color);
      this.lut[i + 1] = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
    });
    if (!appended) this.invalidateAll();
  }

  /** Outline-only view: an instance pixel shows only where a 4-neighbour has another id. */
  setOutline(outline: boolean): void {
    if (outline === this.outline) return;
    this.outline = outline;
    this.invalidateAll();
  }

  setOpacity(percent: number): void {
    this.overlayCanvas.style.opacity = String(percent / 100);
    this.overlayMirror.canvas.style.opacity = this.overlayCanvas.style.opacity;
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
    const buffer = this.buffer;
    // In outline view a change also changes its neighbours' look.
    const grow = this.outline ? 1 : 0;
    const pending = this.pending;
    this.pending = null;
    if (pending === null || buffer === null || this.overlay === null || this.pixels === null) return;
    const rect = clip(
      { x0: pending.x0 - grow, y0: pending.y0 - grow, x1: pending.x1 + grow, y1: pending.y1 + grow },
      buffer.width,
      buffer.height,
    );
    if (rect === null) return;
    const { width, height, data } = buffer;
    const out = this.pixels32;
    const lut = this.lut;
    if (!this.outline) {
      for (let y = rect.y0; y < rect.y1; y++) {
        const row = y * width;
        for (let i = row + rect.x0, end = row + rect.x1; i < end; i++) out[i] = lut[data[i]];
      }
    } else {
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
    this.overlay.putImageData(this.pixels, 0, 0, rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0);
    this.overlayMirror.update(rect);
    this.onRender?.(rect);
  }

  /** The overlay mirror's pixels in `d`: the nearest overlay pixel to each one's centre. */
  private sampleOverlay(g: CanvasRenderingContext2D, d: Rect, kx: number, ky: number): void {
    const buffer = this.buffer;
    if (buffer === null) return;
    const w = d.x1 - d.x0;
    const patch = g.createImageData(w, d.y1 - d.y0);
    const out = new Uint32Array(patch.data.buffer);
    const src = this.pixels32;
    const columns = new Int32Array(w);
    for (let x = 0; x < w; x++) columns[x] = Math.min(buffer.width - 1, Math.floor((d.x0 + x + 0.5) / kx));
    for (let y = d.y0, o = 0; y < d.y1; y++) {
      const row = Math.min(buffer.height - 1, Math.floor((y + 0.5) / ky)) * buffer.width;
      for (let x = 0; x < w; x++, o++) out[o] = src[row + columns[x]];
    }
    g.putImageData(patch, d.x0, d.y0);
  }

  // ------------------------------------------------------------ zoom and pan

  /** Screen (CSS) pixels per image pixel. */
  get zoom(): number {
    return this.scale;
  }

  /** Image pixels within which a click hits a point, at the current zoom. */
  get hitRadius(): number {
    return HIT_CSS_PIXELS / this.scale;
  }

  private fitScale(): number {
    const b = this.buffer;
    const vw = this.el.clientWidth;
    const vh = this.el.clientHeight;
    if (b === null || vw === 0 || vh === 0) return 1;
    return Math.min(vw / b.width, vh / b.height);
  }

  /** The whole image in view, centred. */
  fit(): void {
    const b = this.buffer;
    if (b === null) return;
    this.scale = this.fitScale();
    this.tx = (this.el.clientWidth - b.width * this.scale) / 2;
    this.ty = (this.el.clientHeight - b.height * this.scale) / 2;
    this.fitted = true;
    this.applyView();
  }

  /** Zoom to `scale` keeping the image point under viewport point (cx, cy) in place (default: the pointer, else the centre). */
  zoomTo(scale: number, cx?: number, cy?: number): void {
    if (this.buffer === null) return;
    const min = Math.min(1, this.fitScale()) * MIN_SCALE_OF_FIT;
    const next = Math.max(min, Math.min(MAX_SCALE, scale));
    const x = cx ?? this.pointer?.x ?? this.el.clientWidth / 2;
    const y = cy ?? this.pointer?.y ?? this.el.clientHeight / 2;
    this.tx = x - ((x - this.tx) * next) / this.scale;
    this.ty = y - ((y - this.ty) * next) / this.scale;
    this.scale = next;
    this.fitted = false;
    this.applyView();
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    this.zoomTo(this.scale * factor, cx, cy);
  }

  panBy(dx: number, dy: number): void {
    this.tx += dx;
    this.ty += dy;
    this.fitted = false;
    this.applyView();
  }

  private applyView(): void {
    this.layer.style.transform = `translate(${this.tx}px, ${this.ty}px) scale(${this.scale})`;
    // Photo pixels crisp when magnified; smooth when shrunk (the overlay is always crisp).
    this.imageCanvas.style.imageRendering = this.scale >= 2 ? "pixelated" : "auto";
    this.imageMirror.setView(this.tx, this.ty, this.scale);
    this.overlayMirror.setView(this.tx, this.ty, this.scale);
    this.resizePreview();
    this.schedulePreview();
    this.sink.viewChanged?.();
  }

  private onResize(): void {
    if (this.fitted) this.fit();
    else this.resizePreview();
  }

  private onWheel(e: WheelEvent): void {
    if (this.buffer === null) return;
    e.preventDefault();
    e.stopPropagation();
    const { x, y } = this.local(e);
    // Lines or pixels: about 1.25x per wheel notch, smooth for trackpads.
    const delta = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
    this.zoomBy(Math.pow(2, -delta / 300), x, y);
  }

  // ------------------------------------------------------------ pointer

  private local(e: MouseEvent): { x: number; y: number } {
    const box = this.el.getBoundingClientRect();
    return { x: e.clientX - box.left - this.el.clientLeft, y: e.clientY - box.top - this.el.clientTop };
  }

  /** Image pixel under the pointer: floor of the image coordinate. */
  private toImage(e: PointerEvent): ImagePoint {
    const { x, y } = this.local(e);
    return { x: Math.floor((x - this.tx) / this.scale), y: Math.floor((y - this.ty) / this.scale) };
  }

  private onDown(e: PointerEvent): void {
    this.input.focus({ preventScroll: true });
    if (this.buffer === null || this.stroking !== -1 || this.panning !== null) return;
    if (e.button === 1 || (e.button === 0 && this.spaceHeld)) {
      e.preventDefault();
      this.panning = { id: e.pointerId, x: e.clientX, y: e.clientY };
      this.el.setPointerCapture(e.pointerId);
      this.el.classList.add("is-panning");
      return;
    }
    if (e.button !== 0) return;
    e.preventDefault();
    this.stroking = e.pointerId;
    this.el.setPointerCapture(e.pointerId);
    this.pointer = this.local(e);
    this.sink.down(this.toImage(e));
    this.schedulePreview();
  }

  private onMove(e: PointerEvent): void {
    if (this.buffer === null) return;
    // Also while panning: keys zoom around the pointer, and the cursor comes back where it is.
    this.pointer = this.local(e);
    if (this.panning !== null && this.panning.id === e.pointerId) {
      this.panBy(e.clientX - this.panning.x, e.clientY - this.panning.y);
      this.panning.x = e.clientX;
      this.panning.y = e.clientY;
      return;
    }
    if (this.stroking === e.pointerId) this.sink.move(this.toImage(e));
    this.schedulePreview();
  }

  private onUp(e: PointerEvent): void {
    if (this.panning !== null && this.panning.id === e.pointerId) {
      this.panning = null;
      this.el.classList.remove("is-panning");
      if (this.el.hasPointerCapture(e.pointerId)) this.el.releasePointerCapture(e.pointerId);
      this.schedulePreview(); // the brush cursor, hidden while panning
      return;
    }
    if (this.stroking !== e.pointerId) return;
    this.stroking = -1;
    if (this.el.hasPointerCapture(e.pointerId)) this.el.releasePointerCapture(e.pointerId);
    this.sink.up(this.toImage(e));
  }

  // ------------------------------------------------------------ preview

  private resizePreview(): void {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(this.el.clientWidth * dpr);
    const h = Math.round(this.el.clientHeight * dpr);
    if (this.previewCanvas.width !== w || this.previewCanvas.height !== h) {
      this.previewCanvas.width = w;
      this.previewCanvas.height = h;
      this.preview = null;
    }
  }

  /** Redraw the preview (brush footprint, tool preview) at the next animation frame. */
  schedulePreview(): void {
    if (this.previewFrame === 0) this.previewFrame = requestAnimationFrame(() => this.drawPreview());
  }

  private drawPreview(): void {
    this.previewFrame = 0;
    if (this.buffer === null) return;
    if (this.preview === null) this.preview = this.previewCanvas.getContext("2d");
    const g = this.preview;
    if (g === null) return;
    const dpr = window.devicePixelRatio || 1;
    g.clearRect(0, 0, this.previewCanvas.width, this.previewCanvas.height);
    const painter: PreviewPainter = {
      g,
      toScreen: (x, y) => [(this.tx + x * this.scale) * dpr, (this.ty + y * this.scale) * dpr],
    };
    const p =
      this.pointer === null
        ? null
        : { x: Math.floor((this.pointer.x - this.tx) / this.scale), y: Math.floor((this.pointer.y - this.ty) / this.scale) };
    this.sink.drawPreview?.(painter, p);
    const radius = p === null || this.panning !== null || this.spaceHeld ? null : this.sink.previewRadius();
    if (p === null || radius === null) return;
    // The exact footprint: the outline of its pixels, row by row (a staircase), not a circle.
    const { halfWidths } = disk(radius);
    g.beginPath();
    for (let k = 0; k < halfWidths.length; k++) {
      const [x, y0] = painter.toScreen(p.x + halfWidths[k] + 1, p.y + k - radius);
      const [, y1] = painter.toScreen(0, p.y + k - radius + 1);
      if (k === 0) g.moveTo(x, y0);
      else g.lineTo(x, y0);
      g.lineTo(x, y1);
    }
    for (let k = halfWidths.length - 1; k >= 0; k--) {
      const [x, y1] = painter.toScreen(p.x - halfWidths[k], p.y + k - radius + 1);
      const [, y0] = painter.toScreen(0, p.y + k - radius);
      g.lineTo(x, y1);
      g.lineTo(x, y0);
    }
    g.closePath();
    g.lineWidth = 3 * dpr;
    g.strokeStyle = "rgba(0, 0, 0, 0.6)";
    g.stroke();
    g.lineWidth = 1.5 * dpr;
    g.strokeStyle = "rgba(255, 255, 255, 0.95)";
    g.stroke();
  }

  dispose(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    if (this.previewFrame !== 0) cancelAnimationFrame(this.previewFrame);
    this.frame = 0;
    this.previewFrame = 0;
    this.resizeObserver?.disconnect();
    this.imageMirror.dispose();
    this.overlayMirror.dispose();
    for (const undo of this.cleanups) undo();
  }
}
