import { describe, expect, it } from "vitest";
import { fillHoles, removeIslands } from "./core/cleanup";
import { toolRig } from "./testing/toolRig";

/** Editor.editPixels: a panel action on the pixels (cleanup) through the stroke bracket. */
describe("Editor.editPixels", () => {
  /** Cat 1: a 5x5 square ring around (2..6, 2..6) with a 3x3 hole, and a lone pixel at (9, 0). */
  function ringRig() {
    const rig = toolRig(10, 10);
    rig.editor.setRadius(0);
    rig.drag([[2, 2], [6, 2], [6, 6], [2, 6], [2, 2]]);
    rig.drag([[9, 0]]);
    return rig;
  }

  it("is one undo step and one 'committed', with the pixel counts kept", () => {
    const rig = ringRig();
    const before = Uint16Array.from(rig.buffer.data);
    const commits = rig.commits();
    expect(rig.editor.pixelCount(1)).toBe(16 + 1);

    expect(rig.editor.editPixels((buffer) => fillHoles(buffer, 1))).toBe(true);
    expect(rig.commits()).toBe(commits + 1);
    expect(rig.editor.pixelCount(1)).toBe(25 + 1);
    expect(rig.count(1)).toBe(26);
    expect(rig.editor.committedDrawing()?.buffer.data).toEqual(rig.buffer.data);

    expect(rig.editor.undo()).toBe(true);
    expect(rig.buffer.data).toEqual(before);
    expect(rig.editor.pixelCount(1)).toBe(17);
  });

  it("changes nothing and says so when the edit changes nothing, or during a stroke", () => {
    const rig = ringRig();
    expect(rig.editor.editPixels((buffer) => removeIslands(buffer, 1, 1))).toBe(false);
    const commits = rig.commits();
    expect(rig.editor.editPixels((buffer) => removeIslands(buffer, 2, 5))).toBe(false); // no such pixels
    expect(rig.commits()).toBe(commits);
    rig.editor.beginStroke();
    let ran = false;
    expect(rig.editor.editPixels(() => ((ran = true), null))).toBe(false);
    expect(ran).toBe(false);
    rig.editor.endStroke();
    expect(rig.editor.editPixels((buffer) => removeIslands(buffer, 1, 2))).toBe(true); // the lone pixel
    expect(rig.count(1)).toBe(16);
  });
});
