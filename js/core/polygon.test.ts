import { describe, expect, it } from "vitest";
import { LabelBuffer } from "./labelBuffer";
import { fillPolygon, polygonArea } from "./polygon";

const count = (buf: LabelBuffer, id: number) => buf.data.reduce((n, v) => n + (v === id ? 1 : 0), 0);
const rows = (buf: LabelBuffer) =>
  Array.from({ length: buf.height }, (_, y) =>
    Array.from({ length: buf.width }, (_, x) => (buf.get(x, y) === 0 ? "." : "#")).join(""),
  );

describe("polygon fill (pixel centers inside, even-odd, half-open)", () => {
  it("an axis-aligned rectangle covers exactly its area: left/top edges in, right/bottom out", () => {
    const buf = new LabelBuffer(30, 30);
    const rect = [{ x: 10, y: 10 }, { x: 20, y: 10 }, { x: 20, y: 20 }, { x: 10, y: 20 }];
    expect(fillPolygon(buf, rect, 3)).toEqual({ x0: 10, y0: 10, x1: 20, y1: 20 });
    expect(count(buf, 3)).toBe(100);
    expect(buf.get(10, 10)).toBe(3);
    expect(buf.get(19, 19)).toBe(3);
    expect(buf.get(20, 15)).toBe(0);
    expect(buf.get(15, 20)).toBe(0);
  });

  it("the same in either winding order", () => {
    const cw = [{ x: 1, y: 1 }, { x: 7, y: 1 }, { x: 7, y: 5 }, { x: 1, y: 5 }];
    expect(polygonArea(cw, 10, 10)).toBe(24);
    expect(polygonArea([...cw].reverse(), 10, 10)).toBe(24);
  });

  it("a right triangle: exact pixels", () => {
    const buf = new LabelBuffer(6, 6);
    fillPolygon(buf, [{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 0, y: 4 }], 1);
    expect(rows(buf)).toEqual(["####..", "###...", "##....", "#.....", "......", "......"]);
    expect(count(buf, 1)).toBe(10);
  });

  it("a diamond of radius 4 centred on (5, 5) covers 32 pixels", () => {
    const diamond = [{ x: 5, y: 1 }, { x: 9, y: 5 }, { x: 5, y: 9 }, { x: 1, y: 5 }];
    expect(polygonArea(diamond, 12, 12)).toBe(32); // 2·4² pixel centers, half-open edges
  });

  it("two polygons sharing an edge never share a pixel and leave no gap", () => {
    const buf = new LabelBuffer(12, 12);
    fillPolygon(buf, [{ x: 1, y: 1 }, { x: 10, y: 1 }, { x: 1, y: 10 }], 1);
    const before = count(buf, 1);
    fillPolygon(buf, [{ x: 10, y: 1 }, { x: 10, y: 10 }, { x: 1, y: 10 }], 2);
    expect(count(buf, 1)).toBe(before);
    expect(count(buf, 1) + count(buf, 2)).toBe(81);
  });

  it("a self-intersecting bow tie is filled by the even-odd rule", () => {
    // Two triangles meeting at (4, 4); on row 4 their half-open spans [0, 4) and [4, 8) touch.
    const bow = [{ x: 0, y: 0 }, { x: 8, y: 8 }, { x: 8, y: 0 }, { x: 0, y: 8 }];
    const buf = new LabelBuffer(9, 9);
    fillPolygon(buf, bow, 1);
    expect(rows(buf).slice(0, 8)).toEqual([
      "........",
      "#......#",
      "##....##",
      "###..###",
      "########",
      "###..###",
      "##....##",
      "#......#",
    ].map((r) => r + "."));
    expect(count(buf, 1)).toBe(32);
  });

  it("clips at the image border and needs three vertices", () => {
    expect(polygonArea([{ x: -5, y: -5 }, { x: 5, y: -5 }, { x: 5, y: 5 }, { x: -5, y: 5 }], 10, 10)).toBe(25);
    expect(polygonArea([{ x: 0, y: 0 }, { x: 5, y: 5 }], 10, 10)).toBe(0);
  });

  it("preserving other instances changes only background and the owner", () => {
    const buf = new LabelBuffer(10, 10);
    fillPolygon(buf, [{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 5, y: 10 }, { x: 0, y: 10 }], 2);
    fillPolygon(buf, [{ x: 2, y: 2 }, { x: 8, y: 2 }, { x: 8, y: 8 }, { x: 2, y: 8 }], 1, 1);
    expect(count(buf, 2)).toBe(50);
    expect(count(buf, 1)).toBe(18);
  });
});
