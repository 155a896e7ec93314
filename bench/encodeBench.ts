/**
 * Encode speed and size of label-map PNGs, run inside Chromium by
 * bench_encode.py (bundled on the fly with esbuild; exposes `window.encodeBench`).
 *
 * Variants of the deflate step on the same scanlines, each a whole stream:
 * the encoder before this change (fflate level 4, no filter), pako with
 * zlib's run-length strategy without and with the Up filter, and pako level 9
 * with Up; then the widget's real encoder: from scratch, its idle compaction,
 * and one radius-50 stroke (only the changed strips, the rest compact).
 */
import { zlibSync } from "fflate";
import { deflate, Z_RLE } from "pako";
import { base64ToBytes, bytesToBase64 } from "../js/core/base64";
import { decodeLabelPng } from "../js/core/png";
import { IncrementalPngEncoder } from "../js/core/incrementalPng";
import { encodeLabelPng } from "../js/core/stripPng";

interface Row {
  name: string;
  ms: number[];
  bytes: number;
}

function timed<T>(repeat: number, fn: () => T): { ms: number[]; result: T } {
  const ms: number[] = [];
  let result = fn(); // warm-up (JIT)
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    result = fn();
    ms.push(performance.now() - start);
  }
  return { ms, result };
}

/** 8-bit scanlines, filter "None" or "Up" on every row. */
function scanlines(ids: Uint16Array, width: number, height: number, up: boolean): Uint8Array {
  const stride = width + 1;
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = up && y > 0 ? 2 : 0;
    for (let x = 0; x < width; x++) {
      const v = ids[y * width + x];
      raw[y * stride + 1 + x] = up && y > 0 ? v - ids[(y - 1) * width + x] : v;
    }
  }
  return raw;
}

/** A horizontal radius-50 stroke a third of the image wide, painted with `id`. */
function paintStroke(ids: Uint16Array, width: number, height: number, id: number): void {
  const cy = Math.floor(height / 2);
  for (let y = Math.max(0, cy - 50); y <= Math.min(height - 1, cy + 50); y++) {
    ids.fill(id, y * width + Math.floor(width / 3), y * width + Math.floor((2 * width) / 3));
  }
}

function run(pngBase64: string, colors: string[], repeat: number) {
  const { width, height, ids } = decodeLabelPng(base64ToBytes(pngBase64), colors);
  const rows: Row[] = [];
  const none = scanlines(ids, width, height, false);
  const up = scanlines(ids, width, height, true);
  const variants: Array<[string, () => Uint8Array]> = [
    ["fflate level 4, no filter (before)", () => zlibSync(none, { level: 4 })],
    ["pako Z_RLE, no filter", () => deflate(none, { level: 6, strategy: Z_RLE })],
    ["pako Z_RLE, Up filter", () => deflate(up, { level: 6, strategy: Z_RLE })],
    ["pako level 9, Up filter", () => deflate(up, { level: 9 })],
  ];
  for (const [name, fn] of variants) {
    const { ms, result } = timed(repeat, fn);
    rows.push({ name, ms, bytes: result.length });
  }
  const full = timed(repeat, () => encodeLabelPng(ids, width, height, colors));
  rows.push({ name: "widget encoder, from scratch (after)", ms: full.ms, bytes: full.result.length });

  // The worker's idle work after a fresh map: every strip re-deflated compactly.
  const encoder = new IncrementalPngEncoder();
  let spare = encoder.encode(ids.slice(), width, height, colors).spare ?? new Uint16Array(ids.length);
  const idle = performance.now();
  while (encoder.compactNext());
  const idleMs = performance.now() - idle;
  const compactPng = encoder.encode(ids.slice(), width, height, colors);
  spare = compactPng.spare!;
  rows.push({ name: "worker's idle compaction of all strips", ms: [idleMs], bytes: compactPng.png.length });

  // One stroke: the main thread copies the map (into the array handed back), the worker diffs and re-deflates.
  const copyMs: number[] = [];
  const strokeMs: number[] = [];
  let png = new Uint8Array(0);
  let strips = 0;
  for (let i = 0; i < repeat + 1; i++) {
    paintStroke(ids, width, height, 1 + (i % colors.length));
    const start = performance.now();
    spare.set(ids);
    const copied = performance.now();
    const result = encoder.encode(spare, width, height, colors);
    const done = performance.now();
    spare = result.spare!;
    png = result.png;
    while (encoder.compactNext()); // the idle time between strokes
    if (i === 0) continue; // warm-up
    copyMs.push(copied - start);
    strokeMs.push(done - copied);
    strips = result.strips.length;
  }
  rows.push({ name: "one stroke: main-thread copy of the map", ms: copyMs, bytes: 0 });
  rows.push({ name: `one stroke: worker diff + re-deflate (${strips} strips)`, ms: strokeMs, bytes: png.length });
  // `png`: the value sent at the last stroke's end (its strips fast, the others compact).
  // The widget's PNG after the last stroke, and the label map it must hold.
  return { width, height, rows, png: bytesToBase64(png), ids: bytesToBase64(new Uint8Array(ids.buffer)) };
}

(globalThis as unknown as { encodeBench: typeof run }).encodeBench = run;
