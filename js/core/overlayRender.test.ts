import { describe, expect, it } from "vitest";
import { LabelBuffer } from "./labelBuffer";
import { OverlayRender, rgbaWord } from "./overlayRender";

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

function render(look: OverlayRender, rect = ALL): number[] {
  const out = new Uint32Array((rect.x1 - rect.x0) * (rect.y1 - rect.y0)).fill(7);
  look.renderRect(buffer(), rect, out);
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

  it("renders a rect into words of that rect only", () => {
    const look = new OverlayRender();
    look.setColors([RED, BLUE]);
    expect(look.affected({ x0: 0, y0: 2, x1: 5, y1: 4 }, 5, 4)).toEqual({ x0: 0, y0: 2, x1: 5, y1: 4 });
    expect(render(look, { x0: 3, y0: 2, x1: 5, y1: 4 })).toEqual([R, 0, 0, B]);
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
    const grown = look.affected({ x0: 2, y0: 1, x1: 3, y1: 2 }, 5, 4)!;
    expect(grown).toEqual({ x0: 1, y0: 0, x1: 4, y1: 3 });
    expect(render(look, grown)).toEqual([R, R, R, R, 0, R, R, R, R]);
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

  it("a rect wholly outside the image affects nothing", () => {
    const look = new OverlayRender();
    look.setColors([RED]);
    expect(look.affected({ x0: 5, y0: 0, x1: 9, y1: 4 }, 5, 4)).toBeNull();
    look.setOutline(true);
    expect(look.affected({ x0: 6, y0: 0, x1: 9, y1: 4 }, 5, 4)).toBeNull();
    expect(look.affected({ x0: 5, y0: 0, x1: 9, y1: 4 }, 5, 4)).toEqual({ x0: 4, y0: 0, x1: 5, y1: 4 });
  });

  it("samples screen pixels straight from the ids: each shows the pixel its grid names, -1 none", () => {
    const look = new OverlayRender();
    look.setColors([RED, BLUE]);
    // Columns 0, 0, 1, 4, -1 (magnified twice at the left, then shrunk, then outside); rows 2, 3, 3, -1.
    const columns = Int32Array.of(0, 0, 1, 4, -1);
    const rows = Int32Array.of(2, 3, 3, -1);
    const out = new Uint32Array(20).fill(7);
    look.sample(buffer(), columns, rows, { x0: 0, y0: 0, x1: 5, y1: 4 }, out, 5);
    // prettier-ignore
    expect([...out]).toEqual([
      0, 0, R, 0, 0,
      0, 0, 0, B, 0,
      0, 0, 0, B, 0, // the same image row again: a copy of the row above
      0, 0, 0, 0, 0,
    ]);
    // Only dest's pixels, at their place in rows of `stride` words: columns 2..3 of canvas rows 0..1.
    const part = new Uint32Array(12).fill(7);
    look.sample(buffer(), columns, rows, { x0: 2, y0: 0, x1: 4, y1: 2 }, part, 6);
    expect([...part]).toEqual([7, 7, R, 0, 7, 7, 7, 7, 0, B, 7, 7]);
  });

  it("samples the outline view by the image pixel's own neighbours, not the screen's", () => {
    const look = new OverlayRender();
    look.setColors([RED, BLUE]);
    look.setOutline(true);
    // The square's centre (2, 1) is inside: transparent however magnified; its left edge (1, 1) shows.
    const out = new Uint32Array(3).fill(7);
    look.sample(buffer(), Int32Array.of(2, 2, 1), Int32Array.of(1), { x0: 0, y0: 0, x1: 3, y1: 1 }, out, 3);
    expect([...out]).toEqual([0, 0, R]);
  });
});
