import { describe, expect, it } from "vitest";
import { LabelBuffer } from "./labelBuffer";
import { strokeSegment } from "./line";
import { applyRuns, type LabelRuns } from "./runs";
import { countPatch, DirtyTiles, removeId, restoreId, TILE, UndoStack } from "./undo";

const runsOf = (runs: LabelRuns) => ({
  starts: Array.from(runs.starts),
  lengths: Array.from(runs.lengths),
  ids: Array.from(runs.ids),
});
const pixelsOf = (runs: LabelRuns) => runs.lengths.reduce((n, len) => n + len, 0);

describe("undo patches", () => {
  it("keep only the changed span of each touched row, as runs before and after", () => {
    const buf = new LabelBuffer(20, 10);
    const shadow = new Uint16Array(buf.data);
    const rows = new DirtyTiles(20, 10);
    rows.add(strokeSegment(buf, 5, 5, 12, 5, 1, 3)); // rows 4..6
    rows.add({ x0: 0, y0: 0, x1: 20, y1: 10 }); // reported generously: trimmed to the real change
    const patch = rows.take(shadow, buf.data)!;
    // r = 1 is a 3 x 3 square along x 4..13: one run per row and side.
    const starts = [4 * 20 + 4, 5 * 20 + 4, 6 * 20 + 4];
    expect(runsOf(patch.before)).toEqual({ starts, lengths: [10, 10, 10], ids: [0, 0, 0] });
    expect(runsOf(patch.after)).toEqual({ starts, lengths: [10, 10, 10], ids: [3, 3, 3] });
    expect(patch.rect).toEqual({ x0: 4, y0: 4, x1: 14, y1: 7 });
    expect(shadow).toEqual(buf.data); // the shadow follows the committed state
    expect(rows.take(shadow, buf.data)).toBeNull(); // nothing new
  });

  it("split each side's runs where that side's id changes, and skip unchanged pixels between", () => {
    const before = Uint16Array.from([1, 1, 2, 2, 5, 0, 0, 0]);
    const after = Uint16Array.from([3, 3, 3, 4, 5, 4, 0, 4]);
    const rows = new DirtyTiles(8, 1);
    rows.add({ x0: 0, y0: 0, x1: 8, y1: 1 });
    const patch = rows.take(before, after)!;
    expect(runsOf(patch.before)).toEqual({ starts: [0, 2, 5, 7], lengths: [2, 2, 1, 1], ids: [1, 2, 0, 0] });
    expect(runsOf(patch.after)).toEqual({ starts: [0, 3, 5, 7], lengths: [3, 1, 1, 1], ids: [3, 4, 4, 4] });
    expect(patch.rect).toEqual({ x0: 0, y0: 0, x1: 8, y1: 1 });
    expect(before).toEqual(after);
  });

  it("undo then redo restores the exact label maps, and counts follow", () => {
    const buf = new LabelBuffer(16, 16);
    strokeSegment(buf, 0, 0, 15, 15, 2, 1);
    const start = new Uint16Array(buf.data);
    const rows = new DirtyTiles(16, 16);
    rows.add(strokeSegment(buf, 0, 15, 15, 0, 1, 2));
    const after = new Uint16Array(buf.data);
    const patch = rows.take(new Uint16Array(start), buf.data)!;
    const counts = new Float64Array(4);
    for (const v of start) counts[v]++;
    countPatch(counts, patch, "after");
    expect(Array.from(counts)).toEqual([0, 1, 2, 3].map((id) => after.filter((v) => v === id).length));
    applyRuns(buf.data, patch.before);
    expect(buf.data).toEqual(start);
    countPatch(counts, patch, "before");
    expect(Array.from(counts)).toEqual([0, 1, 2, 3].map((id) => start.filter((v) => v === id).length));
    applyRuns(buf.data, patch.after);
    expect(buf.data).toEqual(after);
  });

  it("an action that changed nothing gives no patch", () => {
    const buf = new LabelBuffer(8, 8);
    const rows = new DirtyTiles(8, 8);
    rows.add({ x0: 0, y0: 0, x1: 8, y1: 8 });
    expect(rows.take(new Uint16Array(buf.data), buf.data)).toBeNull();
  });

  it("a fill of most of the image is a few runs per row, not a copy of its pixels", () => {
    const size = 4 * TILE;
    const buf = new LabelBuffer(size, size);
    strokeSegment(buf, 10, 10, 100, 100, 3, 1); // a diagonal band the fill goes around
    const shadow = new Uint16Array(buf.data);
    const start = new Uint16Array(buf.data);
    const rows = new DirtyTiles(size, size);
    for (let i = 0; i < buf.data.length; i++) if (buf.data[i] === 0) buf.data[i] = 2;
    rows.add({ x0: 0, y0: 0, x1: size, y1: size });
    const patch = rows.take(shadow, buf.data)!;
    expect(pixelsOf(patch.after)).toBe(start.filter((v) => v === 0).length);
    expect(patch.after.ids.length).toBeLessThanOrEqual(2 * size);
    expect(patch.bytes).toBeLessThan(2 * size * 2 * 10 + 64);
    const undone = new Uint16Array(buf.data);
    applyRuns(undone, patch.before);
    expect(undone).toEqual(start);
  });

  it("random edits at odd widths, aligned or not, give runs that redo and undo exactly", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (const [width, height, offset] of [[37, 23, 0], [64, 40, 1], [33, 65, 0], [96, 33, 1]]) {
      const size = width * height;
      // offset 1: views that start 2 bytes into their buffers (no two-pixel compares).
      const beforeMap = new Uint16Array(size + offset).subarray(offset);
      const afterMap = new Uint16Array(size + offset).subarray(offset);
      for (let i = 0; i < size; i++) beforeMap[i] = rand(3) === 0 ? rand(4) : 1;
      afterMap.set(beforeMap);
      const rows = new DirtyTiles(width, height);
      for (let k = 0; k < 12; k++) {
        const x0 = rand(width);
        const y0 = rand(height);
        const x1 = Math.min(width, x0 + 1 + rand(40));
        const y1 = Math.min(height, y0 + 1 + rand(40));
        const id = rand(5);
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (rand(4) > 0) afterMap[y * width + x] = id;
        rows.add({ x0, y0, x1, y1 });
      }
      const start = new Uint16Array(beforeMap);
      const end = new Uint16Array(afterMap);
      const patch = rows.take(beforeMap, afterMap)!;
      expect(beforeMap).toEqual(end);
      let changed = 0;
      for (let i = 0; i < size; i++) if (start[i] !== end[i]) changed++;
      expect(pixelsOf(patch.after)).toBe(changed);
      expect(pixelsOf(patch.before)).toBe(changed);
      const redone = new Uint16Array(start);
      applyRuns(redone, patch.after);
      expect(redone).toEqual(end);
      applyRuns(redone, patch.before);
      expect(redone).toEqual(start);
    }
  });

  it("a ring around the image keeps the tiles along it, not the rows' insides", () => {
    const size = 8 * TILE;
    const buf = new LabelBuffer(size, size);
    const shadow = new Uint16Array(buf.data);
    const rows = new DirtyTiles(size, size);
    const c = size / 2;
    let [px, py] = [size - 10, c];
    for (let k = 1; k <= 64; k++) {
      const x = Math.round(c + (c - 10) * Math.cos((2 * Math.PI * k) / 64));
      const y = Math.round(c + (c - 10) * Math.sin((2 * Math.PI * k) / 64));
      rows.add(strokeSegment(buf, px, py, x, y, 2, 1));
      [px, py] = [x, y];
    }
    const patch = rows.take(shadow, buf.data)!;
    const painted = buf.data.filter((v) => v === 1).length;
    expect(pixelsOf(patch.after)).toBe(painted); // exactly the changed pixels
    expect(patch.after.ids.every((id) => id === 1) && patch.before.ids.every((id) => id === 0)).toBe(true);
    expect(shadow).toEqual(buf.data);
  });
});

describe("deleting an id", () => {
  it("frees its pixels, shifts higher ids down, and restores exactly", () => {
    const data = Uint16Array.from([0, 1, 2, 3, 2, 1, 3, 0]);
    const pixels = removeId(data, 2);
    expect(Array.from(data)).toEqual([0, 1, 0, 2, 0, 1, 2, 0]);
    expect(Array.from(pixels)).toEqual([2, 4]);
    restoreId(data, 2, pixels);
    expect(Array.from(data)).toEqual([0, 1, 2, 3, 2, 1, 3, 0]);
  });
});

describe("UndoStack", () => {
  const step = (bytes: number, name: string) => ({ bytes, name });

  it("undo and redo move steps between the stacks; a new step clears redo", () => {
    const s = new UndoStack<{ bytes: number; name: string }>(1000);
    s.push(step(10, "a"));
    s.push(step(10, "b"));
    expect(s.undo()?.name).toBe("b");
    expect(s.redo()?.name).toBe("b");
    s.undo();
    s.push(step(10, "c"));
    expect(s.canRedo).toBe(false);
    expect(s.bytes).toBe(20);
    expect([s.undo()?.name, s.undo()?.name, s.undo()]).toEqual(["c", "a", null]);
  });

  it("drops the oldest steps past its memory bound, but always keeps the newest", () => {
    const s = new UndoStack<{ bytes: number; name: string }>(25);
    for (const name of ["a", "b", "c", "d"]) s.push(step(10, name));
    expect(s.depth).toBe(2);
    expect(s.bytes).toBe(20);
    s.push(step(100, "huge"));
    expect(s.depth).toBe(1);
    expect(s.undo()?.name).toBe("huge");
  });
});
