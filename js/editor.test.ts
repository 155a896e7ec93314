import { describe, expect, it } from "vitest";
import { LabelBuffer } from "./core/labelBuffer";
import { Editor, type EditorEvents } from "./editor";
import { toolRig } from "./testing/toolRig";

describe("Editor", () => {
  it("selects the first label at once, so the first stroke paints", () => {
    const editor = new Editor();
    editor.setLabels(["Cat", "Dog"]);
    expect(editor.selectedLabel).toBe("Cat");
    expect(editor.selectedId).toBe(0);
    expect(editor.paintId()).toBe(1);
    expect(editor.instances).toEqual([{ id: 1, label: "Cat", color: "#2ca02c" }]);
    expect(editor.paintId()).toBe(1); // the second stroke continues the same instance
  });

  it("'Add instance' creates and selects a new instance with the next color", () => {
    const editor = new Editor();
    editor.setLabels(["Cat", "Dog"]);
    editor.addInstance("Cat");
    const dog = editor.addInstance("Dog");
    expect(dog).toEqual({ id: 2, label: "Dog", color: "#1f77b4" });
    expect([editor.selectedId, editor.selectedLabel]).toEqual([2, "Dog"]);
    editor.selectInstance(1);
    expect([editor.selectedId, editor.selectedLabel]).toEqual([1, "Cat"]);
  });

  it("never hands out a color another view or Python already used", () => {
    const editor = new Editor();
    editor.setLabels(["Cat"]);
    editor.markColorsUsed(["#2CA02C", "#ff7f0e"]); // e.g. deleted before this view opened
    expect(editor.addInstance("Cat").color).toBe("#1f77b4");
    expect(editor.addInstance("Cat").color).toBe("#d62728");
  });

  it("selecting a label without instances makes the next stroke create its first", () => {
    const editor = new Editor();
    editor.setLabels(["Cat", "Dog"]);
    editor.paintId();
    editor.selectLabel("Dog");
    expect(editor.selectedId).toBe(0);
    expect(editor.paintId()).toBe(2);
    expect(editor.instances[1].label).toBe("Dog");
  });

  it("never hands out a color used earlier in the session, even after instances are replaced", () => {
    const editor = new Editor();
    editor.setLabels(["Cat"]);
    editor.addInstance("Cat");
    editor.addInstance("Cat");
    editor.replaceInstances([{ label: "Cat", color: "#2CA02C" }]); // instance 2 is gone
    expect(editor.instances[0].color).toBe("#2ca02c");
    expect(editor.addInstance("Cat").color).toBe("#ff7f0e");
  });

  it("keeps instances whose label was removed, and paints nothing without labels", () => {
    const editor = new Editor();
    editor.setLabels(["Cat"]);
    editor.addInstance("Cat");
    editor.setLabels([]);
    expect(editor.instances.length).toBe(1);
    editor.selectLabel(null);
    expect(editor.paintId()).toBeNull();
  });

  it("clamps the radius to 0..100", () => {
    const editor = new Editor();
    editor.setRadius(250);
    expect(editor.radius).toBe(100);
    editor.setRadius(-3);
    expect(editor.radius).toBe(0);
  });
});

describe("the Editor's stroke bracket", () => {
  /** The events fired, in order, named with their payloads. */
  function record(editor: Editor, events: Array<keyof EditorEvents>): string[] {
    const log: string[] = [];
    for (const event of events) editor.on(event, (payload) => log.push(payload === undefined ? event : `${event} ${JSON.stringify(payload)}`));
    return log;
  }

  it("opens on press and closes on release with one 'committed', then 'stroke' ends", () => {
    const rig = toolRig(10, 10);
    const log = record(rig.editor, ["committed", "stroke"]);
    rig.toolbox.down({ x: 2, y: 2 });
    rig.toolbox.move({ x: 6, y: 2 });
    expect(log).toEqual(['stroke {"active":true}']);
    rig.toolbox.up({ x: 6, y: 2 });
    expect(log).toEqual(['stroke {"active":true}', "committed", 'stroke {"active":false}']);
  });

  it("commits the committed drawing only: the buffer of a stroke in progress is not in it", () => {
    const rig = toolRig(4, 1);
    rig.editor.setRadius(0);
    rig.toolbox.down({ x: 1, y: 0 });
    expect(Array.from(rig.buffer.data)).toEqual([0, 1, 0, 0]);
    expect(Array.from(rig.editor.committedDrawing()!.buffer.data)).toEqual([0, 0, 0, 0]);
    expect(rig.editor.committedDrawing()!.instances).toEqual([]); // the stroke's new instance is not committed yet
    rig.toolbox.up({ x: 1, y: 0 });
    expect(Array.from(rig.editor.committedDrawing()!.buffer.data)).toEqual([0, 1, 0, 0]);
    expect(rig.editor.committedDrawing()!.instances).toEqual([{ color: "#2ca02c", label: "Cat" }]);
  });

  it("makes the step at the release even when the tool changed under the pointer", () => {
    const rig = toolRig(8, 1);
    rig.editor.setRadius(0);
    rig.toolbox.down({ x: 0, y: 0 });
    rig.toolbox.move({ x: 3, y: 0 });
    rig.editor.setTool("polygon"); // a key while the brush is down: the brush gets no pointerup
    rig.toolbox.up({ x: 3, y: 0 });
    expect(rig.commits()).toBe(1);
    expect(rig.editor.pixelCount(1)).toBe(4);
    expect(rig.editor.undo()).toBe(true);
    expect(rig.count(1)).toBe(0);
  });

  it("a release without a press, or a press before any image, does nothing", () => {
    const rig = toolRig(4, 4);
    rig.toolbox.up({ x: 1, y: 1 });
    expect(rig.commits()).toBe(0);
    const editor = new Editor();
    editor.setLabels(["Cat"]);
    editor.beginStroke();
    expect(editor.stroking).toBe(false);
  });

  it("is aborted by Python's annotation: the rest of the stroke paints nothing and commits nothing", () => {
    const rig = toolRig(6, 1);
    rig.editor.setRadius(0);
    const log = record(rig.editor, ["committed", "stroke"]);
    rig.toolbox.down({ x: 0, y: 0 });
    rig.buffer.clear();
    rig.editor.replaceInstances([{ label: "Cat", color: "#1f77b4" }]);
    expect(rig.editor.stroking).toBe(false);
    rig.toolbox.move({ x: 5, y: 0 });
    rig.toolbox.up({ x: 5, y: 0 });
    expect(Array.from(rig.buffer.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(log).toEqual(['stroke {"active":true}', 'stroke {"active":false}']);
    expect(rig.editor.canUndo).toBe(false);
  });

  it("an 'Add instance' is committed at once, but with the stroke it happens in", () => {
    const rig = toolRig(4, 4);
    rig.editor.addInstance("Dog");
    expect(rig.commits()).toBe(1);
    rig.toolbox.down({ x: 1, y: 1 });
    rig.editor.addInstance("Cat");
    expect(rig.commits()).toBe(1);
    rig.toolbox.up({ x: 1, y: 1 });
    expect(rig.commits()).toBe(2);
  });

  it("names what changed: the previous tool, the rect of an undo (null: anywhere)", () => {
    const editor = new Editor();
    editor.setLabels(["Cat"]);
    editor.attach(new LabelBuffer(4, 4));
    const log = record(editor, ["tool", "pixels"]);
    editor.setTool("eraser");
    editor.touch({ x0: 1, y0: 1, x1: 2, y1: 2 });
    editor.buffer!.fillRow(1, 1, 2, editor.paintId()!);
    editor.commitEdit();
    editor.undo();
    editor.deleteInstance(1);
    expect(log).toEqual([
      'tool {"previous":"brush"}',
      'pixels {"rect":{"x0":1,"y0":1,"x1":2,"y1":2}}',
      'pixels {"rect":null}',
    ]);
  });
});
