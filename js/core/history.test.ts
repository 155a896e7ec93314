import { describe, expect, it } from "vitest";
import { floodFill } from "./floodFill";
import { LabelBuffer } from "./labelBuffer";
import { strokeSegment } from "./line";
import { Editor } from "../editor";

function setup() {
  const editor = new Editor();
  editor.setLabels(["Cat", "Dog"]);
  const buf = new LabelBuffer(40, 30);
  editor.attach(buf);
  const paint = (x0: number, y0: number, x1: number, y1: number, r: number) => {
    const id = editor.paintId()!;
    editor.touch(strokeSegment(buf, x0, y0, x1, y1, r, id));
    editor.commitEdit();
  };
  return { editor, buf, paint };
}

describe("undo / redo in the editor", () => {
  it("one step per action, exact label maps both ways, counts kept", () => {
    const { editor, buf, paint } = setup();
    paint(5, 5, 30, 5, 2);
    const afterFirst = new Uint16Array(buf.data);
    paint(10, 0, 10, 29, 1);
    const afterSecond = new Uint16Array(buf.data);
    expect(editor.pixelCount(1)).toBe(buf.countIds(1)[1]);
    expect(editor.undo()).toBe(true);
    expect(buf.data).toEqual(afterFirst);
    expect(editor.pixelCount(1)).toBe(afterFirst.filter((v) => v === 1).length);
    expect(editor.undo()).toBe(true);
    expect(buf.data.every((v) => v === 0)).toBe(true);
    expect(editor.pixelCount(0)).toBe(1200);
    expect(editor.undo()).toBe(false);
    editor.redo();
    editor.redo();
    expect(buf.data).toEqual(afterSecond);
  });

  it("never changes the selected instance", () => {
    const { editor, paint } = setup();
    paint(5, 5, 30, 5, 2);
    editor.addInstance("Dog");
    paint(5, 20, 30, 20, 2);
    editor.selectInstance(1);
    editor.undo();
    expect(editor.selectedId).toBe(1);
    editor.redo();
    expect(editor.selectedId).toBe(1);
  });

  it("deleting an instance is one step: pixels to background, ids shift, undo restores all", () => {
    const { editor, buf, paint } = setup();
    paint(5, 5, 30, 5, 2); // Cat 1 (id 1)
    editor.addInstance("Dog");
    paint(5, 15, 30, 15, 2); // id 2
    editor.addInstance("Cat");
    const fillRect = floodFill(buf, 0, 29, editor.paintId()!); // id 3: the background
    editor.touch(fillRect);
    editor.commitEdit();
    const before = new Uint16Array(buf.data);
    const colors = editor.instances.map((i) => i.color);
    editor.selectInstance(3);

    expect(editor.deleteInstance(2)).toBe(true);
    expect(editor.instances.map((i) => [i.id, i.color])).toEqual([[1, colors[0]], [2, colors[2]]]);
    expect(editor.selectedId).toBe(2); // the same instance, one id lower
    expect(buf.data.some((v) => v === 3)).toBe(false);
    expect(editor.pixelCount(2)).toBe(before.filter((v) => v === 3).length);

    editor.undo();
    expect(buf.data).toEqual(before);
    expect(editor.instances.map((i) => i.color)).toEqual(colors);
    expect(editor.selectedId).toBe(3);
    editor.redo();
    expect(editor.instances.length).toBe(2);
    editor.undo();
    editor.undo(); // the fill
    expect(buf.data.filter((v) => v === 3).length).toBe(0);
  });

  it("changing an instance's label is one step; undo and redo swap it back, pixels untouched", () => {
    const { editor, buf, paint } = setup();
    paint(5, 5, 30, 5, 2);
    const painted = new Uint16Array(buf.data);
    editor.relabelInstance(1, "Dog");
    expect(editor.instances).toEqual([{ id: 1, label: "Dog", color: "#2ca02c" }]);
    expect(editor.undo()).toBe(true);
    expect(editor.instances[0]?.label).toBe("Cat");
    expect(buf.data).toEqual(painted); // the stroke is still there: only the relabel was undone
    expect(editor.redo()).toBe(true);
    expect(editor.instances[0]?.label).toBe("Dog");
    editor.undo();
    editor.undo();
    expect(buf.data.every((v) => v === 0)).toBe(true);
  });

  it("a Python reload forgets the history", () => {
    const { editor, paint } = setup();
    paint(5, 5, 30, 5, 2);
    editor.replaceInstances([{ label: "Cat", color: "#2ca02c" }]);
    expect(editor.canUndo).toBe(false);
  });
});
