import { zlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import { base64ToBytes, bytesToBase64 } from "./base64";
import { colorSequence } from "./palette";
import { decodeLabelPng, encodeLabelPng } from "./png";

interface Chunk {
  type: string;
  data: Uint8Array;
}

function chunksOf(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    out.push({ type: String.fromCharCode(...png.subarray(at + 4, at + 8)), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

/** A label map where every instance 1..n owns some pixels, in a scattered pattern. */
function labelMap(width: number, height: number, n: number): Uint16Array {
  const ids = new Uint16Array(width * height);
  for (let i = 0; i < ids.length; i++) ids[i] = (i * 7919) % (n + 1);
  return ids;
}

// --- a test-side PNG writer, to feed the decoder forms our encoder never writes

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + data.length);
  for (let i = 0; i < 4; i++) body[i] = type.charCodeAt(i);
  body.set(data, 4);
  let c = 0xffffffff;
  for (const b of body) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(body, 4);
  view.setUint32(8 + data.length, (c ^ 0xffffffff) >>> 0);
  return out;
}

/** Filter each row with `filterFor(y)` (types 0-4), deflate, and split IDAT into `parts`. */
function writePng(
  width: number,
  height: number,
  colorType: 3 | 6,
  rows: Uint8Array[],
  filterFor: (y: number) => number,
  extra: Chunk[],
  parts = 1,
): Uint8Array {
  const bpp = colorType === 6 ? 4 : 1;
  const rowBytes = rows[0].length;
  const raw = new Uint8Array((rowBytes + 1) * height);
  rows.forEach((row, y) => {
    const f = filterFor(y);
    raw[y * (rowBytes + 1)] = f;
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = y > 0 ? rows[y - 1][i] : 0;
      const c = y > 0 && i >= bpp ? rows[y - 1][i - bpp] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f];
      raw[y * (rowBytes + 1) + 1 + i] = (row[i] - pred) & 0xff;
    }
  });
  const z = zlibSync(raw);
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const step = Math.ceil(z.length / parts);
  const idats = Array.from({ length: parts }, (_, k) => pngChunk("IDAT", z.subarray(k * step, (k + 1) * step)));
  const all = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk("IHDR", ihdr),
    ...extra.map((c) => pngChunk(c.type, c.data)),
    ...idats,
    pngChunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) (out.set(p, at), (at += p.length));
  return out;
}

describe("encodeLabelPng", () => {
  it.each([
    [1, 2, 1],
    [3, 4, 2],
    [15, 16, 4],
    [200, 201, 8],
  ])("with %i instances writes an indexed PNG of %i entries at bit depth %i", (n, entries, depth) => {
    const colors = colorSequence(n);
    const png = encodeLabelPng(labelMap(37, 11, n), 37, 11, colors);
    const chunks = chunksOf(png);
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "sRGB", "PLTE", "tRNS", "IDAT", "IEND"]);
    const ihdr = chunks[0].data;
    expect(new DataView(ihdr.buffer, ihdr.byteOffset).getUint32(0)).toBe(37);
    expect(new DataView(ihdr.buffer, ihdr.byteOffset).getUint32(4)).toBe(11);
    expect([ihdr[8], ihdr[9], ihdr[12]]).toEqual([depth, 3, 0]);
    expect(Array.from(chunks[1].data)).toEqual([0]);
    expect(chunks[2].data.length).toBe(3 * entries);
    expect(Array.from(chunks[2].data.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(chunks[3].data)).toEqual([0]);
    // Palette index i is instance i.
    expect(Array.from(chunks[2].data.subarray(3, 6))).toEqual([0x2c, 0xa0, 0x2c]);
  });

  it("with more than 255 instances writes 8-bit RGBA: IHDR, sRGB, IDAT, IEND", () => {
    const png = encodeLabelPng(labelMap(40, 20, 300), 40, 20, colorSequence(300));
    const chunks = chunksOf(png);
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "sRGB", "IDAT", "IEND"]);
    expect([chunks[0].data[8], chunks[0].data[9]]).toEqual([8, 6]);
  });

  it("rejects an id that has no color", () => {
    const ids = new Uint16Array([0, 1, 2]);
    expect(() => encodeLabelPng(ids, 3, 1, ["#2ca02c"])).toThrow(/id 2 .* 1 instance colors/);
  });

  it("with no instances writes a 1-bit all-background PNG", () => {
    const png = encodeLabelPng(new Uint16Array(6), 3, 2, []);
    expect(chunksOf(png)[0].data[8]).toBe(1);
    expect(decodeLabelPng(png, []).ids).toEqual(new Uint16Array(6));
  });
});

describe("decodeLabelPng", () => {
  it.each([1, 3, 15, 200, 300])("round-trips %i instances exactly", (n) => {
    const colors = colorSequence(n);
    for (const [w, h] of [[1, 1], [13, 7], [64, 33]]) {
      const ids = labelMap(w, h, n);
      const out = decodeLabelPng(encodeLabelPng(ids, w, h, colors), colors);
      expect(out.width).toBe(w);
      expect(out.height).toBe(h);
      expect(out.ids).toEqual(ids);
    }
  });

  it("reads every filter type and IDAT split over several chunks", () => {
    const colors = colorSequence(5);
    const w = 9;
    const h = 10;
    const ids = labelMap(w, h, 5);
    const rows = Array.from({ length: h }, (_, y) => Uint8Array.from(ids.subarray(y * w, (y + 1) * w)));
    const plte = new Uint8Array(18);
    colors.forEach((c, i) => plte.set([1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)), 3 * (i + 1)));
    const png = writePng(w, h, 3, rows, (y) => y % 5, [{ type: "PLTE", data: plte }, { type: "tRNS", data: new Uint8Array([0]) }], 4);
    expect(decodeLabelPng(png, colors).ids).toEqual(ids);
  });

  it("reads filtered RGBA with the 4-byte pixel stride", () => {
    const colors = colorSequence(3);
    const w = 6;
    const h = 5;
    const ids = labelMap(w, h, 3);
    const rgba = colors.map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
    const rows = Array.from({ length: h }, (_, y) => {
      const row = new Uint8Array(4 * w);
      for (let x = 0; x < w; x++) {
        const id = ids[y * w + x];
        if (id > 0) row.set([...rgba[id - 1], 255], 4 * x);
      }
      return row;
    });
    const png = writePng(w, h, 6, rows, (y) => (y + 1) % 5, [], 2);
    expect(decodeLabelPng(png, colors).ids).toEqual(ids);
  });

  it("maps palette entries by color, not by index", () => {
    const colors = colorSequence(2);
    // Palette order: instance 2, background, instance 1 (as UPNG.js might write it).
    const plte = new Uint8Array([0x1f, 0x77, 0xb4, 0, 0, 0, 0x2c, 0xa0, 0x2c]);
    const png = writePng(3, 1, 3, [new Uint8Array([0, 1, 2])], () => 0, [
      { type: "PLTE", data: plte },
      { type: "tRNS", data: new Uint8Array([255, 0]) },
    ]);
    expect(Array.from(decodeLabelPng(png, colors).ids)).toEqual([2, 0, 1]);
  });

  it("names a stray color and how many pixels carry it", () => {
    const plte = new Uint8Array([0, 0, 0, 0x2c, 0xa0, 0x2c, 0x12, 0x34, 0x56]);
    const png = writePng(4, 1, 3, [new Uint8Array([0, 2, 2, 1])], () => 0, [{ type: "PLTE", data: plte }]);
    expect(() => decodeLabelPng(png, ["#2ca02c"])).toThrow(/2 pixel\(s\) of color #123456/);
  });

  it("rejects bytes that are not a PNG, and a corrupt chunk", () => {
    expect(() => decodeLabelPng(new Uint8Array([1, 2, 3]), [])).toThrow(/not a PNG/);
    const png = encodeLabelPng(new Uint16Array(4), 2, 2, []);
    png[20] ^= 0xff;
    expect(() => decodeLabelPng(png, [])).toThrow(/CRC/);
  });
});

describe("base64", () => {
  it("round-trips arrays larger than one chunk", () => {
    const bytes = new Uint8Array(300_001).map((_, i) => (i * 31) & 0xff);
    const text = bytesToBase64(bytes);
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    expect(text).toBe(btoa(binary));
    const back = base64ToBytes(text);
    expect(back.length).toBe(bytes.length);
    expect(back.every((b, i) => b === bytes[i])).toBe(true);
  });
});
