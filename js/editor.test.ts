import { describe, expect, it } from "vitest";
import { Editor } from "./editor";

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
