import { unzlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import { colorSequence } from "./palette";
import { decodeLabelPng } from "./png";
import { adler32, adler32Combine } from "./pngChunks";
import { IncrementalPngEncoder } from "./incrementalPng";
import { encodeLabelPng, StripPngEncoder, stripRowsFor } from "./stripPng";

/** A deterministic pseudo-random generator (tests must repeat exactly). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The IDAT chunk's data (one chunk: our encoder writes one). */
function idatOf(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    if (String.fromCharCode(...png.subarray(at + 4, at + 8)) === "IDAT") return png.subarray(at + 8, at + 8 + length);
    at += 12 + length;
  }
  throw new Error("no IDAT");
}

/** The zlib stream's own Adler-32 trailer equals the checksum of what it inflates to. */
function expectValidAdler(png: Uint8Array): void {
  const idat = idatOf(png);
  const trailer = new DataView(idat.buffer, idat.byteOffset + idat.length - 4, 4).getUint32(0);
  expect(trailer).toBe(adler32(unzlibSync(idat)));
}

/** Paint `count` random rectangles of random ids (0..maxId) into `ids`. */
function paintRects(ids: Uint16Array, width: number, height: number, count: number, maxId: number, rnd: () => number) {
  for (let k = 0; k < count; k++) {
    const x0 = Math.floor(rnd() * width);
    const y0 = Math.floor(rnd() * height);
    const x1 = Math.min(width, x0 + 1 + Math.floor(rnd() * 40));
    const y1 = Math.min(height, y0 + 1 + Math.floor(rnd() * 9));
    const id = Math.floor(rnd() * (maxId + 1));
    for (let y = y0; y < y1; y++) ids.fill(id, y * width + x0, y * width + x1);
  }
}

describe("adler32Combine", () => {
  it("equals the Adler-32 of the concatenation, for splits of every size", () => {
    const rnd = random(7);
    const bytes = new Uint8Array(200_000).map(() => (rnd() < 0.9 ? 255 : Math.floor(rnd() * 256)));
    for (const split of [0, 1, 5551, 5552, 65520, 65521, 65522, 131_042, 199_999, 200_000]) {
      const combined = adler32Combine(adler32(bytes.subarray(0, split)), adler32(bytes.subarray(split)), bytes.length - split);
      expect(combined).toBe(adler32(bytes));
    }
    expect(adler32(new Uint8Array(0))).toBe(1);
    expect(adler32(new TextEncoder().encode("Wikipedia"))).toBe(0x11e60398); // the textbook example
  });
});

describe("StripPngEncoder", () => {
  it("strips are at least two rows and hold about 128 Ki ids", () => {
    expect(stripRowsFor(4000)).toBe(32);
    expect(stripRowsFor(1000)).toBe(128);
    expect(stripRowsFor(100_000)).toBe(2);
  });

  it.each([
    [3, "indexed, 2-bit"],
    [40, "indexed, 8-bit"],
    [300, "RGBA"],
  ])("after random edits, re-encoding only the changed strips gives exactly the buffer (%i instances, %s)", (n) => {
    const [width, height] = [45, 203]; // odd width: strips end mid-word; the last strip is short
    const colors = colorSequence(n);
    const rnd = random(n);
    const ids = new Uint16Array(width * height);
    paintRects(ids, width, height, 30, n, rnd);
    const encoder = new IncrementalPngEncoder(4); // 51 strips, the last of 3 rows
    const first = encoder.encode(ids.slice(), width, height, colors);
    expect(first.strips.length).toBe(51);
    expect(first.spare).toBeNull();
    for (let round = 0; round < 12; round++) {
      const before = ids.slice();
      paintRects(ids, width, height, 1 + Math.floor(rnd() * 3), n, rnd);
      const { png, strips } = encoder.encode(ids.slice(), width, height, colors);
      // Exactly the strips with a changed pixel were re-encoded.
      const rows = 4 * width;
      const changed = [];
      for (let strip = 0; strip < 51; strip++) {
        const end = Math.min(ids.length, (strip + 1) * rows);
        if (ids.subarray(strip * rows, end).some((v, i) => v !== before[strip * rows + i])) changed.push(strip);
      }
      expect(strips).toEqual(changed);
      expect(decodeLabelPng(png, colors).ids).toEqual(ids);
      expect(decodeLabelPng(encodeLabelPng(ids, width, height, colors), colors).ids).toEqual(ids);
      expectValidAdler(png);
    }
  });

  it("hands back the previous map; a new bit depth, size or an error re-encodes everything", () => {
    const [width, height] = [30, 20];
    const ids = new Uint16Array(width * height).fill(1, 0, 100);
    const encoder = new IncrementalPngEncoder(4);
    const all = [0, 1, 2, 3, 4];
    const first = ids.slice();
    expect(encoder.encode(first, width, height, colorSequence(1)).strips).toEqual(all);
    const again = encoder.encode(ids.slice(), width, height, colorSequence(1));
    expect(again.strips).toEqual([]);
    expect(again.spare).toBe(first);
    expect(encoder.encode(ids.slice(), width, height, colorSequence(2)).strips).toEqual(all); // 3 entries: 2-bit
    expect(encoder.encode(ids.slice(), width, height, colorSequence(3)).strips).toEqual([]); // 4 entries: still 2-bit
    expect(encoder.encode(ids.slice(), width, height, colorSequence(256)).strips).toEqual(all); // RGBA
    expect(encoder.encode(ids.slice(0, 300), width, 10, colorSequence(256)).strips).toEqual([0, 1, 2]);
    const bad = new Uint16Array(300).fill(9);
    expect(() => encoder.encode(bad, width, 10, colorSequence(3))).toThrow(/id 9 but only 3 instance colors/);
    const { png, strips } = encoder.encode(ids.slice(0, 300), width, 10, colorSequence(3));
    expect(strips).toEqual([0, 1, 2]);
    expect(decodeLabelPng(png, colorSequence(3)).ids).toEqual(ids.slice(0, 300));
  });

  it.each([
    [5, "indexed, 4-bit"],
    [40, "indexed, 8-bit"],
    [300, "RGBA"],
  ])("idle compaction re-deflates fast strips smaller, and the PNG still decodes exactly (%i instances, %s)", (n) => {
    const [width, height] = [120, 64];
    const colors = colorSequence(n);
    const rnd = random(11);
    const ids = new Uint16Array(width * height);
    paintRects(ids, width, height, 60, n, rnd);
    const encoder = new IncrementalPngEncoder(8); // 8 strips
    const fast = encoder.encode(ids.slice(), width, height, colors).png;
    let compacted = 0;
    while (encoder.compactNext()) compacted++;
    expect(compacted).toBe(8);
    const compact = encoder.encode(ids.slice(), width, height, colors);
    expect(compact.strips).toEqual([]);
    expect(compact.png.length).toBeLessThan(fast.length);
    expect(decodeLabelPng(compact.png, colors).ids).toEqual(ids);
    expectValidAdler(compact.png);
    // A stroke in strip 3 makes only that strip fast again; the PNG mixes both kinds.
    ids.fill(1, 3 * 8 * width + 10, 3 * 8 * width + 50);
    const mixed = encoder.encode(ids.slice(), width, height, colors);
    expect(mixed.strips).toEqual([3]);
    expect(decodeLabelPng(mixed.png, colors).ids).toEqual(ids);
    expectValidAdler(mixed.png);
    expect(encoder.compactNext()).toBe(true);
    expect(encoder.compactNext()).toBe(false);
  });

  it("refuses colors of another format, and a PNG with a strip never set", () => {
    const encoder = new StripPngEncoder(10, 10, colorSequence(3));
    expect(() => encoder.setColors(colorSequence(4))).toThrow(/format indexed\/4 .* format indexed\/2/);
    expect(() => encoder.png()).toThrow(/strip 0 of the label map was never encoded/);
    expect(() => encoder.setStrip(0, new Uint16Array(3))).toThrow(/strip 0 has 3 ids, expected 10 rows of 10/);
  });

  it("the whole PNG is one zlib stream whose Adler-32 is right, at every size", () => {
    for (const [width, height] of [[1, 1], [3, 2], [4000, 40], [7, 1000]]) {
      const ids = new Uint16Array(width * height);
      paintRects(ids, width, height, 20, 5, random(width));
      const png = encodeLabelPng(ids, width, height, colorSequence(5));
      expectValidAdler(png);
      expect(decodeLabelPng(png, colorSequence(5)).ids).toEqual(ids);
    }
  });
});
