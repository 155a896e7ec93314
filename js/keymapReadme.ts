import { KEYMAP, type Shortcut } from "./keymap";

/** The README's key table sits between these lines (the script `npm run keys` rewrites it). */
export const KEYS_START = "<!-- keys:start -->";
export const KEYS_END = "<!-- keys:end -->";

/** The keymap as a markdown table, one row per shortcut. */
export function keyTable(keymap: readonly Shortcut[] = KEYMAP): string {
  const cell = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
  const rows = keymap.map((s) => `| ${cell(s.keys)} | ${cell(s.action)} |`);
  return ["| Key | Action |", "|---|---|", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by the key table; throws if the markers are missing. */
export function withKeyTable(readme: string, table: string = keyTable()): string {
  const start = readme.indexOf(KEYS_START);
  const end = readme.indexOf(KEYS_END);
  if (start < 0 || end < start || readme.indexOf(KEYS_START, start + 1) >= 0) {
    throw new Error(`README.md needs one "${KEYS_START}" line and, after it, one "${KEYS_END}" line around the key table`);
  }
  return `${readme.slice(0, start + KEYS_START.length)}\n${table}\n${readme.slice(end)}`;
}
