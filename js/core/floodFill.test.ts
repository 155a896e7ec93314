import { describe, expect, it } from "vitest";
import { floodFill } from "./floodFill";
import { LabelBuffer } from "./labelBuffer";
import { grid, show } from "../testing/grid";

const count = (buf: LabelBuffer, id: number) => buf.data.reduce((n, v) => n + (v === id ? 1 : 0), 0);


describe("flood fill (4-connected, scanline)", () => {
  it("fills the inside of a ring, not the outside", () => {
    const buf = grid(["0000000", "0111110", "0100010", "0100010", "0111110", "0000000"]);
    expect(floodFill(buf, 3, 2, 2)).toEqual({ x0: 2, y0: 2, x1: 5, y1: 4 });
    expect(count(buf, 2)).toBe(6);
    expect(count(buf, 0)).toBe(22);
  });

  it("does not leak through a diagonal gap (4-connectivity)", () => {
    const buf = grid(["0010", "0100", "1000", "0000"]);
    floodFill(buf, 0, 0, 5);
    expect(show(buf)).toEqual(["5510", "5100", "1000", "0000"]);
  });

  it("follows a serpentine region with spans above and below", () => {
    const buf = grid(["00000", "11110", "00000", "01111", "00000"]);
    floodFill(buf, 0, 0, 3);
    expect(count(buf, 3)).toBe(17);
    expect(count(buf, 1)).toBe(8);
  });

  it("fills an instance's own region with another id", () => {
    const buf = grid(["1100", "1102", "0022"]);
    floodFill(buf, 0, 0, 2);
    expect(show(buf)).toEqual(["2200", "2202", "0022"]);
  });

  it("does nothing on the fill id itself or outside the image", () => {
    const buf = grid(["11", "00"]);
    expect(floodFill(buf, 0, 0, 1)).toBeNull();
    expect(floodFill(buf, 5, 0, 2)).toBeNull();
  });

  it("preserving other instances: fills background, leaves another instance's region alone", () => {
    const buf = grid(["0022", "0022"]);
    expect(floodFill(buf, 3, 0, 1, 1)).toBeNull();
    floodFill(buf, 0, 0, 1, 1);
    expect(show(buf)).toEqual(["1122", "1122"]);
  });

  it("fills a 1000 x 1000 image of background in one call (no recursion)", () => {
    const buf = new LabelBuffer(1000, 1000);
    for (let y = 0; y < 1000; y += 2) buf.fillRow(y, y % 4 === 0 ? 1 : 0, y % 4 === 0 ? 1000 : 999, 9);
    floodFill(buf, 0, 1, 4);
    expect(count(buf, 4)).toBe(500 * 1000 + 500); // odd rows + one gap per even row
  });
});
