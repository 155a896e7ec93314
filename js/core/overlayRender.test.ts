import { describe, expect, it } from "vitest";
import { LabelBuffer } from "./labelBuffer";
import { OverlayRender, rgbaWord, sampleNearest } from "./overlayRender";

const RED = "#ff0000";
const BLUE = "#0000ff";
const R = 0xff0000ff; // bytes r, g, b, a = ff 00 00 ff, read little-endian
const B = 0xffff0000;

/** A 5 x 4 buffer: instance 1 a 3 x 3 square at (1, 0), instance 2 at (4, 3). */
function buffer(): LabelBuffer {
  // prettier-ignore
  return new LabelBuffer(5, 4, Uint16Array.from([
    0, 1, 1, 1, 0,
    0, 1, 1, 1, 0,
    0, 1, 1, 1, 0,
    0, 0, 0, 0, 2,
  ]));
}

const ALL = { x0: 0, y0: 0, x1: 5, y1: 4 };

function render(look: OverlayRender, rect = ALL, out = new Uint32Array(20).fill(7)): number[] {
  look.render(buffer(), rect, out);
  return [...out];
}

describe("overlay rendering into pixel words", () => {
  it("packs a color as the little-endian word of its RGBA bytes", () => {
    expect(rgbaWord("#102030")).toBe(0xff302010);
    const bytes = new Uint8Array(Uint32Array.of(rgbaWord("#102030")).buffer);
    expect([...bytes]).toEqual([0x10, 0x20, 0x30, 0xff]);
    expect(() => rgbaWord("red")).toThrow(/not in '#rrggbb' form/);
  });

  it("fills each instance in its color, background transparent", () => {
    const look = new OverlayRender();
    look.setColors([RED, BLUE]);
    // prettier-ignore
    expect(render(look)).toEqual([
      0, R, R, R, 0,
      0, R, R, R, 0,
      0, R, R, R, 0,
      0, 0, 0, 0, B,
    ]);
  });

  it("writes only the dirty rect", () => {
    const look = new OverlayRender();
    look.setColors([RED, BLUE]);
    const out = new Uint32Array(20).fill(7);
    expect(look.render(buffer(), { x0: 1, y0: 1, x1: 3, y1: 2 }, out)).toEqual({ x0: 1, y0: 1, x1: 3, y1: 2 });
    expect([...out].map((w, i) => (w === 7 ? "." : i))).toEqual(
      [".", ".", ".", ".", ".", ".", 6, 7, ".", ".", ".", ".", ".", ".", ".", ".", ".", ".", ".", "."],
    );
  });

  it("outline view: only pixels with another id beside them or at the image edge; the rect grows by one", () => {
    const look = new OverlayRender();
    look.setColors([RED, BLUE]);
    expect(look.setOutline(true)).toBe(true);
    expect(look.setOutline(true)).toBe(false);
    // prettier-ignore
    expect(render(look)).toEqual([
      0, R, R, R, 0,
      0, R, 0, R, 0,
      0, R, R, R, 0,
      0, 0, 0, 0, B,
    ]);
    const out = new Uint32Array(20).fill(7);
    expect(look.render(buffer(), { x0: 2, y0: 1, x1: 3, y1: 2 }, out)).toEqual({ x0: 1, y0: 0, x1: 4, y1: 3 });
    expect([...out].filter((w) => w !== 7)).toEqual([R, R, R, R, 0, R, R, R, R]);
  });

  it("hidden instances are transparent; only appending colors keeps what is rendered", () => {
    const look = new OverlayRender();
    expect(look.setColors([RED])).toBe(false); // appended to none
    expect(look.setColors([RED, BLUE])).toBe(false); // id 2 was not painted with another look
    expect(look.setColors([RED, BLUE], new Set([RED]))).toBe(true);
    expect(look.hidden).toEqual(new Set([RED]));
    expect(look.word(1)).toBe(0);
    expect(look.word(2)).toBe(B);
    expect(render(look).filter((w) => w !== 0)).toEqual([B]);
    expect(look.setColors([BLUE, RED])).toBe(true); // colors moved: painted pixels change
    expect([look.word(1), look.word(2)]).toEqual([B, 0]); // red (now id 2) is still hidden
  });

  it("a rect wholly outside the image renders nothing", () => {
    const look = new OverlayRender();
    look.setColors([RED]);
    const out = new Uint32Array(20).fill(7);
    expect(look.render(buffer(), { x0: 5, y0: 0, x1: 9, y1: 4 }, out)).toBeNull();
    expect(out.every((w) => w === 7)).toBe(true);
  });

  it("samples the source pixel nearest each copy pixel's centre", () => {
    const source = Uint32Array.from({ length: 20 }, (_, i) => i); // 5 x 4
    const size = { width: 5, height: 4 };
    // Half size (3 x 2 copy pixels): centres at source 1, 3, 5 → columns 1, 3, 4 (clamped); rows 1, 3.
    expect([...sampleNearest(source, size, { x0: 0, y0: 0, x1: 3, y1: 2 }, 0.5, 0.5)]).toEqual([6, 8, 9, 16, 18, 19]);
    // One copy pixel of that grid, written into a given array.
    const out = new Uint32Array(1);
    expect(sampleNearest(source, size, { x0: 1, y0: 1, x1: 2, y1: 2 }, 0.5, 0.5, out)).toBe(out);
    expect([...out]).toEqual([18]);
  });
});
