import { describe, expect, it } from "vitest";
import { diskArea, stampDisk } from "./disk";
import { LabelBuffer } from "./labelBuffer";
import { bresenham, strokeSegment } from "./line";
import { clip, union } from "./rect";

const count = (buf: LabelBuffer, id: number) => buf.data.reduce((n, v) => n + (v === id ? 1 : 0), 0);

describe("brush footprint", () => {
  it("covers 1, 9, 21, 37, 69, 97 pixels for r = 0..5", () => {
    expect([0, 1, 2, 3, 4, 5].map(diskArea)).toEqual([1, 9, 21, 37, 69, 97]);
  });

  it("is exactly the pixels with dx² + dy² ≤ r² + r, 2r + 1 wide", () => {
    for (let r = 0; r <= 12; r++) {
      const size = 2 * r + 5;
      const buf = new LabelBuffer(size, size);
      const c = r + 2;
      stampDisk(buf, c, c, r, 7);
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const inside = (x - c) ** 2 + (y - c) ** 2 <= r * r + r;
          expect(buf.get(x, y)).toBe(inside ? 7 : 0);
        }
      expect(buf.get(c - r, c)).toBe(7);
      expect(buf.get(c + r, c)).toBe(7);
    }
  });

  it("is clipped at the image edges and reports the clipped dirty rect", () => {
    const buf = new LabelBuffer(10, 8);
    const dirty = stampDisk(buf, 0, 0, 5, 1);
    expect(dirty).toEqual({ x0: 0, y0: 0, x1: 6, y1: 6 });
    // The quarter disk: rows dy = 0..5 with half-widths 5,5,5,4,3,2 → 6+6+6+5+4+3.
    expect(count(buf, 1)).toBe(30);
  });

  it("outside the image paints nothing", () => {
    const buf = new LabelBuffer(10, 8);
    expect(stampDisk(buf, -20, 3, 5, 1)).toBeNull();
    expect(count(buf, 1)).toBe(0);
  });
});

describe("Bresenham line", () => {
  it("includes both ends and steps one pixel at a time", () => {
    const points: [number, number][] = [];
    bresenham(0, 0, 5, 2, (x, y) => points.push([x, y]));
    expect(points[0]).toEqual([0, 0]);
    expect(points[points.length - 1]).toEqual([5, 2]);
    expect(points.length).toBe(6);
  });

  it("is a single point when both ends are the same", () => {
    const points: [number, number][] = [];
    bresenham(3, 4, 3, 4, (x, y) => points.push([x, y]));
    expect(points).toEqual([[3, 4]]);
  });
});

describe("thick line (stroke segment)", () => {
  it("from (0,0) to (19,19) with r = 5 covers the brute-force count", () => {
    // Independently: the diagonal's pixels are (i, i); a pixel is covered if any is within the footprint.
    let expected = 0;
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 40; x++) {
        let hit = false;
        for (let i = 0; i <= 19 && !hit; i++) hit = (x - i) ** 2 + (y - i) ** 2 <= 30;
        if (hit) expected++;
      }
    const buf = new LabelBuffer(40, 40);
    const dirty = strokeSegment(buf, 0, 0, 19, 19, 5, 3);
    expect(count(buf, 3)).toBe(expected);
    expect(expected).toBe(313); // pinned, so a change to the footprint rule shows here
    expect(dirty).toEqual({ x0: 0, y0: 0, x1: 25, y1: 25 });
  });

  it("paints the same pixels as stamping a disk at every Bresenham point, edges clipped", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let trial = 0; trial < 400; trial++) {
      const w = 5 + rand(30);
      const h = 5 + rand(30);
      const r = rand(9);
      const [x0, y0, x1, y1] = [rand(w + 20) - 10, rand(h + 20) - 10, rand(w + 20) - 10, rand(h + 20) - 10];
      const fast = new LabelBuffer(w, h);
      const slow = new LabelBuffer(w, h);
      strokeSegment(fast, x0, y0, x1, y1, r, 1);
      bresenham(x0, y0, x1, y1, (x, y) => void stampDisk(slow, x, y, r, 1));
      expect(Array.from(fast.data)).toEqual(Array.from(slow.data));
    }
  });

  it("overwrites other instances and erases with id 0", () => {
    const buf = new LabelBuffer(20, 20);
    strokeSegment(buf, 0, 10, 19, 10, 2, 1);
    strokeSegment(buf, 10, 0, 10, 19, 0, 2);
    expect(buf.get(10, 10)).toBe(2);
    strokeSegment(buf, 0, 10, 19, 10, 0, 0);
    expect(buf.get(10, 10)).toBe(0);
    expect(buf.get(5, 11)).toBe(1);
  });
});

describe("dirty rects", () => {
  it("union grows to hold both and treats null as nothing", () => {
    expect(union(null, { x0: 1, y0: 2, x1: 3, y1: 4 })).toEqual({ x0: 1, y0: 2, x1: 3, y1: 4 });
    expect(union({ x0: 1, y0: 2, x1: 3, y1: 4 }, { x0: 0, y0: 5, x1: 2, y1: 9 })).toEqual({ x0: 0, y0: 2, x1: 3, y1: 9 });
    expect(union(null, null)).toBeNull();
  });

  it("clip cuts to the image and returns null when nothing is left", () => {
    expect(clip({ x0: -5, y0: -5, x1: 5, y1: 50 }, 10, 20)).toEqual({ x0: 0, y0: 0, x1: 5, y1: 20 });
    expect(clip({ x0: 10, y0: 0, x1: 15, y1: 5 }, 10, 20)).toBeNull();
  });
});

describe("label buffer", () => {
  it("counts pixels per id and copies rectangles", () => {
    const buf = new LabelBuffer(4, 3);
    buf.fillRow(1, 1, 4, 2);
    expect(Array.from(buf.countIds(2))).toEqual([9, 0, 3]);
    expect(Array.from(buf.copyRect({ x0: 0, y0: 1, x1: 2, y1: 3 }))).toEqual([0, 2, 0, 0]);
  });
});
