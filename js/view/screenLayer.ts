import type { Rect } from "../core/rect";
import { gridRect, shrunkGrid, viewGrid, type ScreenGrid } from "../core/screenGrid";
import { measureSince } from "../core/userTiming";
import type { Size, View } from "../core/viewport";

/** Draws what canvas pixels `dest` (x1/y1 exclusive) show by `grid`, replacing what was there. */
export type ScreenCopy = (g: CanvasRenderingContext2D, dest: Rect, grid: ScreenGrid) => void;

/** Wait this long after the last zoom (while zoomed out) before redrawing at the new resolution. */
const SETTLE_MS = 120;

/**
 * One layer of the stage (the photo, or the overlay) drawn at screen
 * resolution, so the browser never composites or rasters an image-sized
 * canvas: a 12-megapixel canvas on screen cost Chromium 40-100 ms a frame
 * zoomed out (scaled down) and, zoomed in, still rasters it whole.
 *
 * - Zoomed out (under one image pixel per device pixel) it holds the whole
 *   image shrunk, each canvas pixel the image pixel nearest its centre; a pan
 *   only moves it (CSS), a zoom scales it by CSS until the zoom settles and
 *   it is drawn again at the new size.
 * - Zoomed in, it is the size of the viewport in device pixels and shows
 *   only the visible part, each device pixel the image pixel under its centre
 *   (the viewport's own rule, so the screen shows exactly what a pointer
 *   there paints); a pan or zoom draws it again at the next frame.
 *
 * Either way a change of image pixels redraws only the canvas pixels that
 * show them (`update`): the cost follows what is on screen. It sits outside
 * the zoomed layer, in screen pixels (inside a scaled layer Chromium would
 * raster it at the layer's size again). `data-mode` ("shrunk" or "view") and,
 * for "view", `data-view` ("tx ty scale dpr") say which grid it shows.
 */
export class ScreenLayer {
  readonly canvas = document.createElement("canvas");
  private context: CanvasRenderingContext2D | null = null;
  /** What the canvas shows now (null: nothing yet). */
  private grid: ScreenGrid | null = null;
  private mode: "shrunk" | "view" | null = null;
  /** The device pixels per image pixel the shrunk image was drawn at. */
  private drawnFactor = 0;
  private view: View = { tx: 0, ty: 0, scale: 1 };
  private screen: Size = { width: 0, height: 0 };
  private image: Size | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private frame = 0;

  constructor(
    name: string,
    /** CSS `image-rendering` while CSS scales it during a zoom: "pixelated" for labels, "auto" for a photo. */
    rendering: "auto" | "pixelated",
    private readonly copy: ScreenCopy,
  ) {
    this.canvas.className = "crowdseg-screen";
    this.canvas.dataset.layer = name;
    Object.assign(this.canvas.style, { pointerEvents: "none", inset: "auto", left: "0", top: "0", transformOrigin: "0 0", imageRendering: rendering });
    this.canvas.hidden = true;
    this.canvas.setAttribute("aria-hidden", "true");
  }

  /** A new image (null: none): drawn in full at the next frame. */
  setImage(image: Size | null): void {
    this.image = image;
    this.grid = null;
    this.drawSoon();
  }

  /** The view changed (or the viewport's size, in CSS pixels). */
  setView(view: View, screen: Size): void {
    this.view = { tx: view.tx, ty: view.ty, scale: view.scale };
    this.screen = { width: screen.width, height: screen.height };
    this.cancelSettle();
    const factor = this.view.scale * dpr();
    if (factor < 1 && this.mode === "shrunk" && this.grid !== null) {
      this.place(); // a pan moves it; a zoom scales it until it settles
      if (factor !== this.drawnFactor) this.timer = setTimeout(() => this.draw(), SETTLE_MS);
      return;
    }
    this.drawSoon();
  }

  /** Image pixels in `rect` changed: redraw the canvas pixels that show them. */
  update(rect: Rect): void {
    const g = this.context;
    if (this.grid === null || g === null || this.frame !== 0) return; // a full draw is on its way
    const dest = gridRect(this.grid, rect, this.canvas.width, this.canvas.height);
    if (dest !== null) this.copy(g, dest, this.grid);
  }

  dispose(): void {
    this.cancelSettle();
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  private cancelSettle(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private drawSoon(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.draw());
  }

  /** Draw everything for the current view. */
  private draw(): void {
    const start = performance.now();
    this.drawAll();
    measureSince("crowdseg-screen-draw", start);
  }

  private drawAll(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.cancelSettle();
    const image = this.image;
    const ratio = dpr();
    const factor = this.view.scale * ratio;
    if (image === null || this.screen.width === 0 || this.screen.height === 0) {
      this.canvas.hidden = true;
      this.grid = null;
      return;
    }
    let width: number, height: number;
    if (factor < 1) {
      width = Math.max(1, Math.ceil(image.width * factor));
      height = Math.max(1, Math.ceil(image.height * factor));
    } else {
      width = Math.max(1, Math.round(this.screen.width * ratio));
      height = Math.max(1, Math.round(this.screen.height * ratio));
    }
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width; // also clears it, and drops the context's state
      this.canvas.height = height;
    }
    this.context ??= this.canvas.getContext("2d");
    if (this.context === null) return;
    this.mode = factor < 1 ? "shrunk" : "view";
    this.drawnFactor = factor;
    this.grid = factor < 1 ? shrunkGrid(image, width, height) : viewGrid(this.view, ratio, image, width, height);
    this.copy(this.context, { x0: 0, y0: 0, x1: width, y1: height }, this.grid);
    this.place();
    this.canvas.dataset.mode = this.mode;
    if (this.mode === "view") this.canvas.dataset.view = `${this.view.tx} ${this.view.ty} ${this.view.scale} ${ratio}`;
    else delete this.canvas.dataset.view;
    this.canvas.hidden = false;
  }

  private place(): void {
    const ratio = dpr();
    const style = this.canvas.style;
    style.width = `${this.canvas.width / ratio}px`;
    style.height = `${this.canvas.height / ratio}px`;
    if (this.mode !== "shrunk" || this.grid === null) {
      style.transform = "none";
      return;
    }
    // Drawn at kx / dpr CSS pixels per image pixel; the view may have zoomed since.
    const { tx, ty, scale } = this.view;
    style.transform = `translate(${tx}px, ${ty}px) scale(${(scale * ratio) / this.grid.kx}, ${(scale * ratio) / this.grid.ky})`;
  }
}

function dpr(): number {
  return window.devicePixelRatio || 1;
}

/** A photo of the image's size (e.g. the decoded ImageBitmap itself). */
export interface Photo extends Size {
  image: CanvasImageSource;
}

/** A photo's copy: the source's pixels drawn through the grid's mapping, smoothed unless magnified twice or more. */
export function photoCopy(photo: () => Photo | null): ScreenCopy {
  return (g, d, grid) => {
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(d.x0, d.y0, d.x1 - d.x0, d.y1 - d.y0);
    const source = photo();
    if (source === null) return;
    const { width, height } = source;
    const x0 = Math.max(0, Math.floor((d.x0 - grid.ox) / grid.kx));
    const y0 = Math.max(0, Math.floor((d.y0 - grid.oy) / grid.ky));
    const x1 = Math.min(width, Math.ceil((d.x1 - grid.ox) / grid.kx));
    const y1 = Math.min(height, Math.ceil((d.y1 - grid.oy) / grid.ky));
    if (x1 <= x0 || y1 <= y0) return;
    g.save();
    g.beginPath();
    g.rect(d.x0, d.y0, d.x1 - d.x0, d.y1 - d.y0);
    g.clip();
    g.imageSmoothingEnabled = grid.kx < 2;
    g.imageSmoothingQuality = "high";
    g.setTransform(grid.kx, 0, 0, grid.ky, grid.ox, grid.oy);
    g.drawImage(source.image, x0, y0, x1 - x0, y1 - y0, x0, y0, x1 - x0, y1 - y0);
    g.restore();
  };
}
