import { describe, expect, it } from "vitest";
import { footprintOutline } from "./outline";

describe("the brush footprint's outline", () => {
  it("radius 0 is the one pixel's square", () => {
    expect(footprintOutline(0, 10, 20)).toEqual([
      [11, 20], [11, 21], [10, 21], [10, 20],
    ]);
  });

  it("radius 1 is the 3 x 3 square (dx² + dy² <= 2), one corner pair a row", () => {
    expect(footprintOutline(1, 0, 0)).toEqual([
      [2, -1], [2, 0], [2, 0], [2, 1], [2, 1], [2, 2],
      [-1, 2], [-1, 1], [-1, 1], [-1, 0], [-1, 0], [-1, -1],
    ]);
  });

  it("radius 2 is a staircase through every corner of its 21 pixels", () => {
    // Rows dy = -2 .. 2 cover |dx| <= 1, 2, 2, 2, 1 (dx² + dy² <= 6).
    expect(footprintOutline(2, 0, 0)).toEqual([
      [2, -2], [2, -1], [3, -1], [3, 0], [3, 0], [3, 1], [3, 1], [3, 2], [2, 2], [2, 3],
      [-1, 3], [-1, 2], [-2, 2], [-2, 1], [-2, 1], [-2, 0], [-2, 0], [-2, -1], [-1, -1], [-1, -2],
    ]);
  });

  it("spans the footprint's 2r + 1 pixels in both directions", () => {
    const corners = footprintOutline(5, 100, 75);
    const xs = corners.map(([x]) => x);
    const ys = corners.map(([, y]) => y);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([95, 106, 70, 81]);
    expect(corners).toHaveLength(4 * 11);
  });
});
