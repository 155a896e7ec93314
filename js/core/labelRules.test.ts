import { describe, expect, it } from "vitest";
import { checkNewLabel, labelKey } from "./labelRules";

describe("checkNewLabel", () => {
  it("adds the label normalised to NFC and trimmed", () => {
    expect(checkNewLabel("  Cafe\u0301 ", ["Cat"])).toEqual({ label: "Caf\u00e9" });
    expect(labelKey("Caf\u00e9")).toBe(labelKey("Cafe\u0301"));
  });

  it("refuses a label already there, written the same or another way", () => {
    expect(checkNewLabel("Cat", ["Cat", "Dog"])).toEqual({ problem: '"Cat" is already a label.' });
    expect(checkNewLabel(" Dog\u00a0", ["Cat", "Dog"])).toEqual({ problem: '"Dog" is already a label.' });
    expect(checkNewLabel("Cafe\u0301", ["Caf\u00e9 "])).toEqual({ problem: '"Caf\u00e9 " is already a label.' });
    expect(checkNewLabel("cat", ["Cat"])).toEqual({ label: "cat" }); // case counts, as in Python
  });

  it("refuses empty, invisible and non-text labels", () => {
    expect(checkNewLabel("   ", [])).toEqual({ problem: "Type a label first: an empty label cannot name anything." });
    expect(checkNewLabel("\u200b\u200d", [])).toEqual({ problem: "That label has no visible character." });
    expect(checkNewLabel("a\tb", [])).toHaveProperty("problem", expect.stringContaining("control character"));
    expect(checkNewLabel("a\u0000", [])).toHaveProperty("problem", expect.stringContaining("control character"));
    expect(checkNewLabel("a\ud800b", [])).toHaveProperty("problem", expect.stringContaining("lone surrogate"));
    expect(checkNewLabel("\ud83d\udc31 cat", [])).toEqual({ label: "\ud83d\udc31 cat" }); // a pair is a character
  });
});
