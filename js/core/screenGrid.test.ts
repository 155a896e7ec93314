import { describe, expect, it } from "vitest";
import { gridRect, shrunkGrid, viewGrid } from "./screenGrid";
import { Viewport } from "./viewport";

describe("screen grids: which image pixel each canvas pixel shows", () => {
  it("shrunk: the image pixel nearest each canvas pixel's centre, clamped to the image", () => {
    const g = shrunkGrid({ width: 5, height: 4 }, 3, 2);
    expect([g.kx, g.ky, g.ox, g.oy]).toEqual([0.6, 0.5, 0, 0]);
    // Centres at 0.5 / 0.6, 1.5 / 0.6, 2.5 / 0.6 = 0.83, 2.5, 4.17; rows 1, 3.
    expect([...g.columns]).toEqual([0, 2, 4]);
    expect([...g.rows]).toEqual([1, 3]);
  });

  it("over the view: the pixel Viewport.toImage gives at each device pixel's centre, -1 outside", () => {
    const v = new Viewport();
    v.setImage({ width: 10, height: 8 });
    v.setScreen({ width: 30, height: 20 });
    v.zoomTo(4, 0, 0); // from scale 1 at (0, 0): the image's corner stays at the view's
    v.panBy(-13.25, 2.5);
    const g = viewGrid(v, 1, { width: 10, height: 8 }, 30, 20);
    for (let x = 0; x < 30; x++) {
      const p = v.toImage(x + 0.5, 0).x;
      expect(g.columns[x]).toBe(p >= 0 && p < 10 ? p : -1);
    }
    for (let y = 0; y < 20; y++) {
      const p = v.toImage(0, y + 0.5).y;
      expect(g.rows[y]).toBe(p >= 0 && p < 8 ? p : -1);
    }
    expect(g.columns[0]).toBe(3); // (0.5 + 13.25) / 4 = 3.44
    expect(g.rows[0]).toBe(-1); // (0.5 - 2.5) / 4 < 0: above the image
    expect([g.kx, g.ox, g.oy]).toEqual([4, -13.25, 2.5]);
  });

  it("at devicePixelRatio 2 a CSS pixel is two canvas pixels", () => {
    const g = viewGrid({ tx: 0, ty: 0, scale: 1 }, 2, { width: 3, height: 1 }, 8, 2);
    expect([...g.columns]).toEqual([0, 0, 1, 1, 2, 2, -1, -1]);
    expect(g.kx).toBe(2);
  });

  it("maps an image rect to the canvas pixels that may show it, one pixel to spare, cut to the canvas", () => {
    const g = viewGrid({ tx: -13.25, ty: 2.5, scale: 4 }, 1, { width: 10, height: 8 }, 30, 20);
    const r = gridRect(g, { x0: 4, y0: 1, x1: 6, y1: 2 }, 30, 20)!;
    expect(r).toEqual({ x0: 1, y0: 5, x1: 12, y1: 12 });
    for (let x = 0; x < 30; x++) {
      const shows = g.columns[x] >= 4 && g.columns[x] < 6;
      if (shows) expect(x >= r.x0 && x < r.x1).toBe(true);
    }
    expect(gridRect(g, { x0: 9, y0: 7, x1: 10, y1: 8 }, 30, 20)).toBeNull(); // below the screen
  });
});
