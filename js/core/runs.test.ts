import { describe, expect, it } from "vitest";
import { Editor } from "../editor";
import { floodFill } from "./floodFill";
import { LabelBuffer } from "./labelBuffer";
import { strokeSegment } from "./line";
import { applyChange, type LabelRuns } from "./runs";

/** A seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function setup(width = 50, height = 40) {
  const editor = new Editor();
  editor.setLabels(["Cat", "Dog"]);
  const buf = new LabelBuffer(width, height);
  editor.attach(buf);
  return { editor, buf };
}

describe("the changes the value sync sends to the kernel", () => {
  it("runs of every step, applied in order to the last map, give the committed map exactly", () => {
    const { editor, buf } = setup();
    const kernel = new Uint16Array(buf.data); // what Python holds
    const random = rng(7);
    const pick = (n: number): number => Math.floor(random() * n);
    for (let op = 0; op < 300; op++) {
      const kind = pick(7);
      if (kind === 0 && editor.canUndo) editor.undo();
      else if (kind === 6 && editor.instances.length > 0) editor.deleteInstance(1 + pick(editor.instances.length));
      else if (kind === 1 && editor.canRedo) editor.redo();
      else if (kind === 2) editor.addInstance(pick(2) === 0 ? "Cat" : "Dog");
      else if (kind === 3) {
        editor.touch(floodFill(buf, pick(50), pick(40), editor.paintId()!));
        editor.commitEdit();
      } else {
        const id = kind === 4 ? 0 : editor.paintId()!;
        editor.touch(strokeSegment(buf, pick(50), pick(40), pick(50), pick(40), pick(6), id));
        editor.commitEdit();
      }
      for (const change of editor.takeChanges()) applyChange(kernel, change);
      expect(kernel).toEqual(editor.committedDrawing()!.buffer.data);
    }
  });

  it("a run covers only changed pixels: a ring's inside is not sent", () => {
    const { editor, buf } = setup(100, 100);
    const id = editor.paintId()!;
    editor.touch(strokeSegment(buf, 50, 50, 50, 50, 30, id)); // a disc
    editor.commitEdit();
    editor.takeChanges();
    editor.touch(strokeSegment(buf, 50, 50, 50, 50, 40, id)); // a larger one: only the ring changes
    editor.commitEdit();
    const [ring] = editor.takeChanges() as LabelRuns[];
    const sent = ring.lengths.reduce((n, v) => n + v, 0);
    expect(sent).toBe(countDisc(40) - countDisc(30)); // the inner disc had that id already
    expect(Array.from(ring.ids).every((v) => v === id)).toBe(true);
  });

  it("a delete is sent as the id removed, its undo as the pixels restored; a Python value forgets the rest", () => {
    const { editor, buf } = setup();
    editor.touch(strokeSegment(buf, 5, 5, 40, 5, 2, editor.paintId()!));
    editor.commitEdit();
    const painted = buf.countIds(1)[1];
    editor.deleteInstance(1);
    editor.undo();
    const changes = editor.takeChanges();
    expect(changes.length).toBe(3);
    expect(changes[1]).toEqual({ remove: 1 });
    const restored = changes[2] as { restore: number; at: LabelRuns };
    expect(restored.restore).toBe(1);
    expect(restored.at.starts.length).toBe(5); // one run per painted row (radius 2)
    expect(restored.at.lengths.reduce((n, v) => n + v, 0)).toBe(painted);
    editor.touch(strokeSegment(buf, 5, 5, 40, 5, 2, editor.paintId()!));
    editor.commitEdit();
    editor.replaceInstances([]);
    expect(editor.takeChanges()).toEqual([]);
  });
});

/** Pixels of a brush stamp of radius r (dx² + dy² ≤ r² + r). */
function countDisc(r: number): number {
  let n = 0;
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r + r) n++;
  return n;
}
