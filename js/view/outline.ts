import { disk } from "../core/disk";

/** A point in image coordinates (pixel corners: pixel (x, y) spans x..x+1). */
export type Vertex = readonly [x: number, y: number];

/** The two tones, widths in CSS pixels: a dark halo under a light line reads on any photo. */
const HALO = { width: 3, style: "rgba(0, 0, 0, 0.6)" };
const LINE = { width: 1.5, style: "rgba(255, 255, 255, 0.95)" };

/**
 * Size the screen-sized preview canvas for a view of `width` x `height` CSS
 * pixels at the screen's devicePixelRatio; false if it already was.
 */
export function sizePreview(canvas: HTMLCanvasElement, width: number, height: number): boolean {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  return true;
}

/**
 * The preview canvas cleared, its context drawing in CSS pixels: the one
 * place devicePixelRatio is applied to what is drawn, so every line width
 * and dot radius given in CSS pixels looks the same on a HiDPI screen.
 */
export function clearPreview(g: CanvasRenderingContext2D): void {
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.clearRect(0, 0, g.canvas.width, g.canvas.height);
  const dpr = window.devicePixelRatio || 1;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
}

/** Stroke the line through `points` (screen points, closed or not) in the two tones. */
export function strokeOutline(g: CanvasRenderingContext2D, points: readonly Vertex[], closed: boolean): void {
  if (points.length === 0) return;
  g.beginPath();
  points.forEach(([x, y], i) => (i === 0 ? g.moveTo(x, y) : g.lineTo(x, y)));
  if (closed) g.closePath();
  for (const tone of [HALO, LINE]) {
    g.lineWidth = tone.width;
    g.strokeStyle = tone.style;
    g.stroke();
  }
}

/**
 * The outline of the exact brush footprint of `radius` at pixel (cx, cy),
 * not a circle: the boundary of its pixels, row by row (a staircase), as the
 * corners of a closed polygon in image coordinates, clockwise from the top row's right end.
 */
export function footprintOutline(radius: number, cx: number, cy: number): Vertex[] {
  const { halfWidths } = disk(radius);
  const corners: Vertex[] = [];
  for (let k = 0; k < halfWidths.length; k++) {
    const x = cx + halfWidths[k] + 1;
    corners.push([x, cy + k - radius], [x, cy + k - radius + 1]);
  }
  for (let k = halfWidths.length - 1; k >= 0; k--) {
    const x = cx - halfWidths[k];
    corners.push([x, cy + k - radius + 1], [x, cy + k - radius]);
  }
  return corners;
}
