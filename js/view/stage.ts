import type { LabelBuffer } from "../core/labelBuffer";
import { OverlayRender } from "../core/overlayRender";
import { union, type Rect } from "../core/rect";
import type { ScreenGrid } from "../core/screenGrid";
import { measureSince } from "../core/userTiming";
import { Viewport } from "../core/viewport";
import type { ImagePoint, PreviewPainter } from "../tools/tool";
import { suppressShortcuts } from "./dom";
import { clearPreview, footprintOutline, sizePreview, strokeOutline } from "./outline";
import { OverlayCanvas } from "./overlayCanvas";
import { PhotoCanvas } from "./photoCanvas";
import { photoCopy, ScreenLayer } from "./screenLayer";

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

function canvas(className: string): HTMLCanvasElement {
  const c = document.createElement("canvas");
  c.className = className;
  return c;
}

/**
 * The stage: a viewport that zooms and pans over the image. What shows is
 * drawn at screen resolution (two ScreenLayers: the photo, and the overlay
 * sampled straight from the label buffer's ids, only the screen pixels of
 * each dirty rect, once per animation frame), so the cost of a frame follows
 * the screen, never the image. The image-sized canvases (the photo and the
 * overlay truth, both never shown), any extra layers, and the input canvas
 * on top that takes pointer and keyboard input move together under one CSS
 * transform. A screen-sized preview canvas above them draws the brush
 * footprint and the tool's preview in screen pixels, sharp at every zoom. The
 * maths is elsewhere (core/viewport.ts, core/screenGrid.ts,
 * core/overlayRender.ts); this is the DOM, the listeners and the pointer capture.
 */
export class Stage {
  readonly el = document.createElement("div");
  private readonly layer = document.createElement("div");
  /** The photo at full size, for the assist tools; filled after the first frame (view/photoCanvas.ts). */
  private readonly photo = new PhotoCanvas();
  /** The decoded image the screen draws from (its owner keeps it open while it is shown). */
  private source: { image: CanvasImageSource; width: number; height: number } | null = null;
  private readonly input = canvas("crowdseg-input");
  private readonly previewCanvas = canvas("crowdseg-preview");
  private preview: CanvasRenderingContext2D | null = null;
  private readonly view = new Viewport();
  private readonly look = new OverlayRender();
  /** The overlay at the image's size: the pixel truth, kept current off the frame path. */
  private readonly overlayTruth = new OverlayCanvas(this.look);
  /** What the screen shows: the photo and the overlay at screen resolution. */
  private readonly screenImage = new ScreenLayer(
    "image",
    "auto",
    photoCopy(() => this.source),
  );
  private readonly screenOverlay = new ScreenLayer("overlay", "pixelated", (g, d, grid) => this.sampleOverlay(g, d, grid));
  /** The screen overlay's pixels, kept between frames (a frame writes only its dirty part). */
  private screenPixels: ImageData | null = null;
  private buffer: LabelBuffer | null = null;
  private pending: Rect | null = null;
  private frame = 0;
  private previewFrame = 0;
  private stroking = -1; // pointerId of the stroke in progress
  private panning: { id: number; x: number; y: number } | null = null;
  private spaceHeld = false;
  /** The pointer in viewport CSS pixels, or null when it is outside. */
  private pointer: { x: number; y: number } | null = null;
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
    this.layer.append(this.photo.canvas, this.overlayTruth.canvas, this.input);
    this.el.append(this.screenImage.canvas, this.screenOverlay.canvas, this.layer, this.previewCanvas);
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
        this.setSpaceHeld(true);
        e.preventDefault(); // no page scroll
        e.stopPropagation();
      }
    });
    this.listen(this.input, "keyup", (e) => {
      if (e.key === " ") {
        this.setSpaceHeld(false);
        e.stopPropagation();
      }
    });
    this.listen(this.input, "blur", () => this.setSpaceHeld(false));
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

  private setSpaceHeld(held: boolean): void {
    this.spaceHeld = held;
    this.el.classList.toggle("is-pan-ready", held);
  }

  /** Show an image of `width` x `height` pixels and paint into `buffer`. */
  setImage(image: CanvasImageSource, buffer: LabelBuffer): void {
    const { width, height } = buffer;
    this.buffer = buffer;
    this.view.setImage({ width, height });
    this.source = { image, width, height };
    for (const c of this.layer.querySelectorAll("canvas")) {
      if (c === this.overlayTruth.canvas || c === this.photo.canvas) continue; // sized by their own
      if (c.width === width && c.height === height) continue; // a resize would reallocate it
      c.width = width;
      c.height = height;
    }
    this.layer.style.width = `${width}px`;
    this.layer.style.height = `${height}px`;
    // The viewport: natural size, scaled down only to fit the widget's width.
    this.el.style.maxWidth = `${width}px`;
    this.el.style.aspectRatio = `${width} / ${height}`;
    this.photo.set(image, width, height);
    this.overlayTruth.setBuffer(buffer);
    this.screenImage.setImage({ width, height });
    this.screenOverlay.setImage({ width, height });
    this.fit();
    this.invalidateAll(); // extra layers (onRender) follow the new buffer
  }

  /** The photo's pixels at full size (`canvas.crowdseg-image`), drawn in now if still waiting. */
  photoCanvas(): HTMLCanvasElement {
    return this.photo.read();
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
  setColors(colors: readonly string[], hidden: ReadonlySet<string> = this.look.hidden): void {
    if (this.look.setColors(colors, hidden)) this.invalidateAll();
  }

  /** Outline-only view: an instance pixel shows only where a 4-neighbour has another id. */
  setOutline(outline: boolean): void {
    if (this.look.setOutline(outline)) this.invalidateAll();
  }

  setOpacity(percent: number): void {
    this.screenOverlay.canvas.style.opacity = String(percent / 100);
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
    const pending = this.pending;
    this.pending = null;
    if (pending === null || this.buffer === null) return;
    const start = performance.now();
    const rect = this.look.affected(pending, this.buffer.width, this.buffer.height);
    if (rect === null) return;
    this.screenOverlay.update(rect); // the screen pixels that show it, now
    this.overlayTruth.invalidate(rect); // the image-sized truth, in idle time
    this.onRender?.(rect);
    measureSince("crowdseg-frame", start);
  }

  /** The screen overlay's pixels `d`, sampled from the label buffer by `grid`. */
  private sampleOverlay(g: CanvasRenderingContext2D, d: Rect, grid: ScreenGrid): void {
    if (this.buffer === null) return;
    const { width, height } = g.canvas;
    if (this.screenPixels?.width !== width || this.screenPixels.height !== height) {
      this.screenPixels = g.createImageData(width, height);
    }
    const words = new Uint32Array(this.screenPixels.data.buffer);
    this.look.sample(this.buffer, grid.columns, grid.rows, d, words, width);
    g.putImageData(this.screenPixels, 0, 0, d.x0, d.y0, d.x1 - d.x0, d.y1 - d.y0);
  }

  // ------------------------------------------------------------ zoom and pan

  /** Screen (CSS) pixels per image pixel. */
  get zoom(): number {
    return this.view.scale;
  }

  /** Image pixels within which a click hits a point, at the current zoom. */
  get hitRadius(): number {
    return this.view.hitRadius;
  }

  /** The viewport maths with the view's current size. */
  private measured(): Viewport {
    this.view.setScreen({ width: this.el.clientWidth, height: this.el.clientHeight });
    return this.view;
  }

  /** The whole image in view, centred. */
  fit(): void {
    if (this.buffer === null) return;
    this.measured().fit();
    this.applyView();
  }

  /** Zoom to `scale` keeping the image point under viewport point (cx, cy) in place (default: the pointer, else the centre). */
  zoomTo(scale: number, cx?: number, cy?: number): void {
    if (this.buffer === null) return;
    this.measured().zoomTo(scale, cx ?? this.pointer?.x, cy ?? this.pointer?.y);
    this.applyView();
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    this.zoomTo(this.view.scale * factor, cx, cy);
  }

  panBy(dx: number, dy: number): void {
    this.view.panBy(dx, dy);
    this.applyView();
  }

  private applyView(): void {
    const { tx, ty, scale } = this.view;
    this.layer.style.transform = `translate(${tx}px, ${ty}px) scale(${scale})`;
    const screen = { width: this.el.clientWidth, height: this.el.clientHeight };
    this.screenImage.setView(this.view, screen);
    this.screenOverlay.setView(this.view, screen);
    this.resizePreview();
    this.schedulePreview();
    this.sink.viewChanged?.();
  }

  private onResize(): void {
    if (this.view.fitted) this.fit();
    else this.applyView(); // the screen layers take the viewport's new size
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

  /** Image pixel under the pointer. */
  private toImage(e: PointerEvent): ImagePoint {
    const { x, y } = this.local(e);
    return this.view.toImage(x, y);
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
    if (sizePreview(this.previewCanvas, this.el.clientWidth, this.el.clientHeight)) this.preview = null;
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
    clearPreview(g);
    const painter: PreviewPainter = { g, toScreen: (x, y) => this.view.toScreen(x, y) };
    const p = this.pointer === null ? null : this.view.toImage(this.pointer.x, this.pointer.y);
    this.sink.drawPreview?.(painter, p);
    const radius = p === null || this.panning !== null || this.spaceHeld ? null : this.sink.previewRadius();
    if (p === null || radius === null) return;
    const corners = footprintOutline(radius, p.x, p.y).map(([x, y]) => painter.toScreen(x, y));
    strokeOutline(g, corners, true);
  }

  dispose(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    if (this.previewFrame !== 0) cancelAnimationFrame(this.previewFrame);
    this.frame = 0;
    this.previewFrame = 0;
    this.resizeObserver?.disconnect();
    this.screenImage.dispose();
    this.photo.dispose();
    this.source = null;
    this.screenOverlay.dispose();
    this.overlayTruth.dispose();
    for (const undo of this.cleanups) undo();
  }
}
