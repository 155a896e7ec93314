import { describe, expect, it } from "vitest";
import { fillHoles, instanceBox, removeIslands } from "./cleanup";
import { grid, show } from "../testing/grid";
import { magicWand } from "./magicWand";
import { applyMask, maskPixels, trimMask, unpackMask } from "./mask";
import { PAINT_OVER } from "./paint";


describe("fill holes (4-connected, background only)", () => {
  it("fills an enclosed background region and leaves another instance inside it alone", () => {
    const buf = grid(["0000000", "0111110", "0102010", "0100010", "0111110", "0000000"]);
    expect(fillHoles(buf, 1)).toEqual({ x0: 2, y0: 2, x1: 5, y1: 4 });
    expect(show(buf)).toEqual(["0000000", "0111110", "0112110", "0111110", "0111110", "0000000"]);
  });

  it("does not fill a region that leaks out through a gap or reaches the border", () => {
    const open = grid(["1111", "1001", "1000", "1111"]);
    expect(fillHoles(open, 1)).toBeNull();
    const border = grid(["1110", "1010", "1110"]);
    expect(fillHoles(border, 1)).toEqual({ x0: 1, y0: 1, x1: 2, y1: 2 });
    expect(show(border)).toEqual(["1110", "1110", "1110"]);
  });

  it("treats a diagonal gap as closed, like the fill bucket", () => {
    const buf = grid(["01100", "10010", "10010", "01100"]);
    expect(fillHoles(buf, 1)).toEqual({ x0: 1, y0: 1, x1: 3, y1: 3 });
    expect(show(buf)).toEqual(["01100", "11110", "11110", "01100"]);
  });

  it("returns null for an instance without pixels", () => {
    expect(fillHoles(grid(["000"]), 1)).toBeNull();
    expect(instanceBox(grid(["000"]), 1)).toBeNull();
  });
});

describe("remove islands", () => {
  it("erases regions smaller than the limit and keeps the rest and other instances", () => {
    const buf = grid(["11002", "11001", "00000", "10111"]);
    expect(removeIslands(buf, 1, 3)).toEqual({ x0: 0, y0: 1, x1: 5, y1: 4 });
    expect(show(buf)).toEqual(["11002", "11000", "00000", "00111"]);
  });

  it("keeps a region of exactly the limit and splits diagonal neighbours (4-connectivity)", () => {
    const buf = grid(["110", "001", "001"]);
    expect(removeIslands(buf, 1, 2)).toBeNull();
    expect(removeIslands(buf, 1, 3)).toEqual({ x0: 0, y0: 0, x1: 3, y1: 3 });
    expect(show(buf)).toEqual(["000", "000", "000"]);
  });
});

describe("box masks", () => {
  it("unpacks numpy's packbits(bitorder=\"little\") order (first pixel lowest bit, no row padding)", () => {
    // 3x3 box: rows 101 / 010 / 111 → pixels 1,0,1,0,1,0,1,1 | 1 → 0b11010101, 0b00000001
    const m = unpackMask(2, 1, 3, 3, new Uint8Array([0b11010101, 0b00000001]));
    expect(Array.from(m.data)).toEqual([1, 0, 1, 0, 1, 0, 1, 1, 1]);
    expect(maskPixels(m)).toBe(6);
    expect(() => unpackMask(0, 0, 3, 3, new Uint8Array(1))).toThrow(/needs 2 packed bytes, got 1/);
    expect(() => unpackMask(0, 0, 0, 3, new Uint8Array(0))).toThrow(/positive integer size/);
  });

  it("applies under the overlap policy and reports what changed", () => {
    const mask = { x0: 1, y0: 0, width: 3, height: 2, data: new Uint8Array([1, 1, 1, 1, 0, 1]) };
    const over = grid(["0200", "0000"]);
    expect(applyMask(over, mask, 1, PAINT_OVER)).toEqual({ x0: 1, y0: 0, x1: 4, y1: 2 });
    expect(show(over)).toEqual(["0111", "0101"]);
    const preserve = grid(["0200", "0000"]);
    applyMask(preserve, mask, 1, 1);
    expect(show(preserve)).toEqual(["0211", "0101"]);
    expect(applyMask(preserve, mask, 1, 1)).toBeNull();
  });

  it("trims to the set pixels inside the image", () => {
    const m = { x0: -1, y0: -1, width: 4, height: 3, data: new Uint8Array([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) };
    expect(trimMask(m, 3, 2)).toEqual({ x0: 1, y0: 0, width: 2, height: 2, data: new Uint8Array([1, 0, 0, 1]) });
    expect(trimMask({ ...m, data: new Uint8Array(12) }, 3, 2)).toBeNull();
  });
});

describe("magic wand", () => {
  /** A photo from rows of gray levels in tens (one digit per pixel: 3 → 30). */
  function photo(rows: string[]): [Uint8Array, number, number] {
    const w = rows[0].length;
    const px = new Uint8Array(w * rows.length * 4);
    rows.forEach((row, y) =>
      [...row].forEach((c, x) => {
        const i = (y * w + x) * 4;
        px.set([Number(c) * 10, Number(c) * 10, Number(c) * 10, 255], i);
      }),
    );
    return [px, w, rows.length];
  }

  it("selects the 4-connected region within the tolerance of the clicked color", () => {
    const [px, w, h] = photo(["0099", "0199", "9900", "0000"]);
    const tight = magicWand(px, w, h, 0, 0, 5)!;
    expect(tight).toEqual({ x0: 0, y0: 0, width: 2, height: 2, data: new Uint8Array([1, 1, 1, 0]) });
    const loose = magicWand(px, w, h, 0, 0, 10)!;
    expect(maskPixels(loose)).toBe(4);
    const bottom = magicWand(px, w, h, 2, 2, 0)!; // the zeros below, not those at the top left
    expect([bottom.x0, bottom.y0, bottom.width, bottom.height, maskPixels(bottom)]).toEqual([0, 2, 4, 2, 6]);
    expect(magicWand(px, w, h, 4, 0, 0)).toBeNull();
  });
});
