import { describe, expect, it } from "vitest";
import { HIT_CSS_PIXELS, MAX_SCALE, Viewport } from "./viewport";

/** A 200 x 100 image in a 400 x 300 view: the fit is 2 (the width limits it). */
function view(): Viewport {
  const v = new Viewport();
  v.setImage({ width: 200, height: 100 });
  v.setScreen({ width: 400, height: 300 });
  return v;
}

describe("viewport maths", () => {
  it("fits the whole image, centred, by the tighter side", () => {
    const v = view();
    v.fit();
    expect([v.scale, v.tx, v.ty, v.fitted]).toEqual([2, 0, 50, true]);
    v.setScreen({ width: 400, height: 100 });
    v.fit();
    expect([v.scale, v.tx, v.ty]).toEqual([1, 100, 0]);
  });

  it("does nothing without an image, and scales 1 without a view size", () => {
    const v = new Viewport();
    v.fit();
    v.zoomTo(8, 10, 10);
    expect([v.scale, v.tx, v.ty]).toEqual([1, 0, 0]);
    v.setImage({ width: 10, height: 10 });
    expect(v.fitScale()).toBe(1);
  });

  it("maps a screen point to the pixel under it (floor) and a pixel corner back", () => {
    const v = view();
    v.fit(); // scale 2, image corner at (0, 50)
    expect(v.toImage(0, 50)).toEqual({ x: 0, y: 0 });
    expect(v.toImage(1.99, 51.99)).toEqual({ x: 0, y: 0 });
    expect(v.toImage(2, 52)).toEqual({ x: 1, y: 1 });
    expect(v.toImage(-0.5, 49.5)).toEqual({ x: -1, y: -1 }); // outside stays outside
    expect(v.toScreen(0, 0)).toEqual([0, 50]);
    expect(v.toScreen(199, 99)).toEqual([398, 248]);
    expect(v.toImage(...v.toScreen(37, 61))).toEqual({ x: 37, y: 61 });
  });

  it("zooms about a point: the image point under it stays put", () => {
    const v = view();
    v.fit();
    v.zoomTo(8, 100, 150); // image point (50, 50) is under (100, 150)
    expect([v.scale, v.tx, v.ty, v.fitted]).toEqual([8, -300, -250, false]);
    expect(v.toScreen(50, 50)).toEqual([100, 150]);
  });

  it("zooms about the view's centre by default", () => {
    const v = view();
    v.fit();
    v.zoomTo(4);
    expect([v.tx, v.ty]).toEqual([-200, -50]);
    expect(v.toScreen(100, 50)).toEqual([200, 150]);
  });

  it("clamps the zoom between a quarter of the fit (or of 1:1) and MAX_SCALE", () => {
    const v = view();
    v.fit();
    v.zoomTo(1000, 0, 0);
    expect(v.scale).toBe(MAX_SCALE);
    v.zoomTo(0.001, 0, 0);
    expect(v.scale).toBe(0.25); // the fit is 2, more than 1:1
    v.setScreen({ width: 50, height: 50 }); // now the fit is 0.25
    v.zoomTo(0.001, 0, 0);
    expect(v.scale).toBe(0.0625);
  });

  it("pans by screen pixels and then no longer counts as fitted", () => {
    const v = view();
    v.fit();
    v.panBy(7, -3);
    expect([v.tx, v.ty, v.fitted]).toEqual([7, 47, false]);
  });

  it("hits within HIT_CSS_PIXELS screen pixels, in image pixels at the zoom", () => {
    const v = view();
    v.fit();
    expect(v.hitRadius).toBe(HIT_CSS_PIXELS / 2);
    v.zoomTo(12, 0, 0);
    expect(v.hitRadius).toBe(0.5);
  });
});
