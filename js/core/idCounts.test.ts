import { describe, expect, it } from "vitest";
import { countIds } from "./idCounts";

/** The ids present and their counts, one increment per pixel. */
function naive(ids: Uint16Array): Array<[number, number]> {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]);
}

function nonZero(counts: Float64Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  counts.forEach((count, id) => {
    if (count !== 0) out.push([id, count]);
  });
  return out;
}

/** Runs of random ids and lengths (1..40), with single pixels between. */
function runs(length: number, seed: number): Uint16Array {
  let state = seed;
  const random = (): number => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const ids = new Uint16Array(length);
  for (let i = 0; i < length; ) {
    const id = random() < 0.1 ? 65535 : Math.floor(random() * 6);
    const end = Math.min(length, i + 1 + Math.floor(random() * 40));
    ids.fill(id, i, end);
    i = end;
  }
  return ids;
}

describe("countIds", () => {
  it("counts exactly as one increment per pixel, at every length and offset", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const whole = runs(1000 + seed, seed);
      // An odd byte offset (no 32-bit view) and an even one, and odd and even lengths.
      for (const ids of [whole, whole.subarray(1), whole.subarray(2), whole.subarray(3, 700)]) {
        const counts = new Float64Array(65536).fill(7); // stale counts are replaced
        countIds(ids, counts);
        expect(nonZero(counts)).toEqual(naive(ids));
      }
    }
  });

  it("counts an image of one id, an empty map and single pixels", () => {
    const counts = new Float64Array(65536);
    countIds(new Uint16Array(4001 * 3), counts);
    expect(counts[0]).toBe(12003);
    countIds(new Uint16Array(0), counts);
    expect(counts[0]).toBe(0);
    countIds(Uint16Array.from([3, 0, 3, 3, 1]), counts);
    expect([counts[0], counts[1], counts[3]]).toEqual([1, 1, 3]);
  });
});
