/// <reference types="node" />
// This spec reads README.md from disk; browser code is compiled without Node's types (tsconfig "types": []).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KEYMAP } from "./keymap";
import { KEYS_END, KEYS_START, keyTable, withKeyTable } from "./keymapReadme";

describe("the README's key table", () => {
  it("is the keymap (after a change to js/keymap.ts, run `npm run keys`)", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(withKeyTable(readme)).toBe(readme);
  });

  it("is a markdown table with escaped cells, one row per shortcut", () => {
    expect(keyTable([{ keys: "a | b", action: "c \\ d" }])).toBe("| Key | Action |\n|---|---|\n| a \\| b | c \\\\ d |");
    expect(keyTable().split("\n")).toHaveLength(2 + KEYMAP.length);
  });

  it("replaces only the text between the markers", () => {
    const readme = `# Title\n\n${KEYS_START}\nold\n${KEYS_END}\n\nMore.\n`;
    expect(withKeyTable(readme, "| new |")).toBe(`# Title\n\n${KEYS_START}\n| new |\n${KEYS_END}\n\nMore.\n`);
    expect(withKeyTable(withKeyTable(readme))).toBe(withKeyTable(readme));
  });

  it("says which markers are missing", () => {
    expect(() => withKeyTable("no table")).toThrow(/needs one "<!-- keys:start -->" line/);
    expect(() => withKeyTable(`${KEYS_END}\n${KEYS_START}`)).toThrow(/after it, one "<!-- keys:end -->"/);
  });
});
