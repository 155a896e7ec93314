import { LabelBuffer } from "../core/labelBuffer";

/** A label buffer from rows of digits, one id per character (for node specs). */
export function grid(rows: string[]): LabelBuffer {
  const buf = new LabelBuffer(rows[0].length, rows.length);
  rows.forEach((row, y) => [...row].forEach((c, x) => (buf.data[y * buf.width + x] = Number(c))));
  return buf;
}

/** The buffer back as rows of digits, to compare with `grid`'s input. */
export function show(buf: LabelBuffer): string[] {
  return Array.from({ length: buf.height }, (_, y) => Array.from(buf.data.subarray(y * buf.width, (y + 1) * buf.width)).join(""));
}
