/**
 * Instance colors: Ground Truth's own sequence, then generated distinct colors.
 * Mirrors src/crowdseg_widget/palette.py exactly (integer arithmetic only);
 * both are pinned by tests/fixtures/color_sequence.json.
 */

export const GROUND_TRUTH_COLORS: readonly string[] = [
  "#2ca02c", "#1f77b4", "#ff7f0e", "#d62728", "#9467bd",
  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#ff9896",
  "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5",
  "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
];

const NEVER = new Set(["#000000", "#ffffff"]); // reserved for backgrounds

const hex2 = (n: number): string => n.toString(16).padStart(2, "0");

/** Generated color k: integer HSV with golden-ratio hue steps (no floats, so Python agrees). */
export function generatedColor(k: number): string {
  const h = (k * 40503) % 65536;
  const s = 160 + 40 * (k % 3);
  const v = 255 - 40 * (Math.floor(k / 3) % 3);
  const region = Math.floor((h * 6) / 65536);
  const rem = (h * 6) % 65536;
  const scale = 255 * 65536;
  // All operands are non-negative and below 2^53, so floor matches Python's //.
  const p = Math.floor((v * (255 - s)) / 255);
  const q = Math.floor((v * (scale - s * rem)) / scale);
  const t = Math.floor((v * (scale - s * (65536 - rem))) / scale);
  const rgb = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][region];
  return `#${hex2(rgb[0])}${hex2(rgb[1])}${hex2(rgb[2])}`;
}

// The sequence is extended lazily and kept: it is the same for every widget.
const sequence: string[] = [...GROUND_TRUTH_COLORS];
const inSequence = new Set(sequence);
let nextK = 0;

/** Color number `i` (0-based) of the hand-out sequence. */
export function sequenceColor(i: number): string {
  while (sequence.length <= i) {
    const color = generatedColor(nextK++);
    if (!inSequence.has(color) && !NEVER.has(color)) {
      inSequence.add(color);
      sequence.push(color);
    }
  }
  return sequence[i];
}

/** The first `n` colors of the sequence. */
export function colorSequence(n: number): string[] {
  if (n > 0) sequenceColor(n - 1);
  return sequence.slice(0, n);
}

/** The first color of the sequence not in `used` (lowercase '#rrggbb' strings). */
export function nextColor(used: ReadonlySet<string>): string {
  for (let i = 0; ; i++) {
    const color = sequenceColor(i);
    if (!used.has(color)) return color;
  }
}

/** '#rrggbb' → [r, g, b]; throws on anything else. */
export function colorToRgb(color: string): [number, number, number] {
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) {
    throw new Error(`instance color ${JSON.stringify(color)} is not in '#rrggbb' form`);
  }
  const n = parseInt(color.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

export function rgbToColor(r: number, g: number, b: number): string {
  return `#${hex2(r)}${hex2(g)}${hex2(b)}`;
}
