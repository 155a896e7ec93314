import pinned from "../../tests/fixtures/color_sequence.json";
import { describe, expect, it } from "vitest";
import { colorSequence, GROUND_TRUTH_COLORS, nextColor } from "./palette";


const fixture: string[] = pinned;

describe("color sequence", () => {
  it("equals the 300 colors Python pinned in tests/fixtures/color_sequence.json", () => {
    expect(fixture.length).toBe(300);
    expect(colorSequence(300)).toEqual(fixture);
  });

  it("starts with Ground Truth's 20 colors and never repeats or uses black/white", () => {
    const seq = colorSequence(2000);
    expect(seq.slice(0, 20)).toEqual(GROUND_TRUTH_COLORS);
    expect(new Set(seq).size).toBe(seq.length);
    expect(seq).not.toContain("#000000");
    expect(seq).not.toContain("#ffffff");
    for (const c of seq) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });

  it("nextColor skips every used color, including deleted instances' colors", () => {
    expect(nextColor(new Set())).toBe("#2ca02c");
    expect(nextColor(new Set(["#2ca02c"]))).toBe("#1f77b4");
    expect(nextColor(new Set(["#1f77b4"]))).toBe("#2ca02c");
    expect(nextColor(new Set(GROUND_TRUTH_COLORS))).toBe(fixture[20]);
  });
});
