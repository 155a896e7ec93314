/** Zoom limits, in screen (CSS) pixels per image pixel. */
export const MAX_SCALE = 64;
/** The farthest zoom out: this fraction of the fit (or of 1:1 when the image is smaller than the view). */
export const MIN_SCALE_OF_FIT = 0.25;
/** Screen pixels within which a click hits a point (polygon's first vertex). */
export const HIT_CSS_PIXELS = 6;

/** A width and a height: the image in its pixels, the view in CSS pixels. */
export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Where the image is: screen = (tx, ty) + scale * image, in CSS pixels of the view. */
export interface View {
  readonly tx: number;
  readonly ty: number;
  readonly scale: number;
}

/**
 * The zoom and pan of an image inside a view, without the DOM: screen =
 * (tx, ty) + scale * image, in CSS pixels of the view. Image coordinates are
 * pixel corners (pixel (x, y) spans x..x+1), so the pixel under a screen point
 * is the floor of its image coordinate.
 */
export class Viewport implements View {
  private currentScale = 1;
  private x = 0;
  private y = 0;
  private wasFitted = true;
  private image: Size | null = null;
  private screen: Size = { width: 0, height: 0 };

  /** Screen pixels per image pixel. */
  get scale(): number {
    return this.currentScale;
  }

  /** Screen position of the image's top-left corner. */
  get tx(): number {
    return this.x;
  }

  get ty(): number {
    return this.y;
  }

  /** True while the whole image is shown by `fit` (a resize then fits again). */
  get fitted(): boolean {
    return this.wasFitted;
  }

  /** Image pixels within which a click hits a point, at the current zoom. */
  get hitRadius(): number {
    return HIT_CSS_PIXELS / this.currentScale;
  }

  /** The image's size (null: none yet; nothing zooms then). */
  setImage(image: Size | null): void {
    this.image = image;
  }

  /** The view's size, in CSS pixels. */
  setScreen(screen: Size): void {
    this.screen = screen;
  }

  /** The scale that shows the whole image (1 while there is no image or no view). */
  fitScale(): number {
    const { image, screen } = this;
    if (image === null || screen.width === 0 || screen.height === 0) return 1;
    return Math.min(screen.width / image.width, screen.height / image.height);
  }

  /** The whole image in view, centred. */
  fit(): void {
    if (this.image === null) return;
    this.currentScale = this.fitScale();
    this.x = (this.screen.width - this.image.width * this.currentScale) / 2;
    this.y = (this.screen.height - this.image.height * this.currentScale) / 2;
    this.wasFitted = true;
  }

  /** Zoom to `scale` (clamped) keeping the image point under screen point (cx, cy) in place (default: the centre). */
  zoomTo(scale: number, cx = this.screen.width / 2, cy = this.screen.height / 2): void {
    if (this.image === null) return;
    const min = Math.min(1, this.fitScale()) * MIN_SCALE_OF_FIT;
    const next = Math.max(min, Math.min(MAX_SCALE, scale));
    this.x = cx - ((cx - this.x) * next) / this.currentScale;
    this.y = cy - ((cy - this.y) * next) / this.currentScale;
    this.currentScale = next;
    this.wasFitted = false;
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.wasFitted = false;
  }

  /** The image pixel under screen point (sx, sy). */
  toImage(sx: number, sy: number): { x: number; y: number } {
    return { x: Math.floor((sx - this.x) / this.currentScale), y: Math.floor((sy - this.y) / this.currentScale) };
  }

  /** Image coordinates (pixel corners) → screen (CSS) pixels. */
  toScreen(x: number, y: number): [number, number] {
    return [this.x + x * this.currentScale, this.y + y * this.currentScale];
  }
}
