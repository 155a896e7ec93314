import type { BoxMask } from "../core/mask";
import { maskPixels } from "../core/mask";

/** RGBA as one little-endian word (ImageData's bytes seen through a Uint32Array, as core/overlayRender.ts does). */
const rgba = (r: number, g: number, b: number, a: number): number => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
const FILL = rgba(0, 200, 255, 110);
const OUTLINE = rgba(255, 214, 0, 255);

/**
 * `canvas.crowdseg-pending`: the pending mask, translucent with an opaque
 * outline (its pixels with a 4-neighbour outside it), in the stage's zoomed
 * stack. The canvas has the mask's box size and sits at the box (a 12 MP
 * layer would cost every frame; docs/architecture.md, the mirrors); `hidden`
 * when there is no pending mask. `data-x0`, `data-y0`, `data-pixels` and
 * `data-candidate` ("1/3") describe what it shows.
 */
export class PendingLayer {
  readonly canvas = document.createElement("canvas");

  constructor() {
    this.canvas.className = "crowdseg-pending";
    this.canvas.hidden = true;
    Object.assign(this.canvas.style, { imageRendering: "pixelated", pointerEvents: "none", inset: "auto" });
  }

  show(mask: BoxMask | null, index = 0, count = 1): void {
    const c = this.canvas;
    if (mask === null) {
      c.hidden = true;
      for (const key of ["x0", "y0", "pixels", "candidate"]) delete c.dataset[key];
      return;
    }
    const { x0, y0, width, height, data } = mask;
    c.width = width;
    c.height = height;
    Object.assign(c.style, { left: `${x0}px`, top: `${y0}px`, width: `${width}px`, height: `${height}px` });
    const g = c.getContext("2d");
    if (g !== null) {
      const image = g.createImageData(width, height);
      const px = new Uint32Array(image.data.buffer);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = y * width + x;
          if (data[i] === 0) continue;
          const edge =
            x === 0 || y === 0 || x === width - 1 || y === height - 1 ||
            data[i - 1] === 0 || data[i + 1] === 0 || data[i - width] === 0 || data[i + width] === 0;
          px[i] = edge ? OUTLINE : FILL;
        }
      }
      g.putImageData(image, 0, 0);
    }
    Object.assign(c.dataset, { x0: String(x0), y0: String(y0), pixels: String(maskPixels(mask)), candidate: `${index + 1}/${count}` });
    c.hidden = false;
  }
}
