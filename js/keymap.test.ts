import { describe, expect, it } from "vitest";
import { LabelBuffer } from "./core/labelBuffer";
import { Editor } from "./editor";
import { handleKey, type KeyTargets } from "./keyboard";
import { KEYMAP, type KeyPress } from "./keymap";
import { TOOL_FACTORIES, type ToolContext } from "./tools/index";
import type { PolygonTool } from "./tools/polygon";

/** A real editor and tools; the view's parts record what they were asked. */
function targets(): KeyTargets & { calls: string[] } {
  const editor = new Editor();
  editor.setLabels(["Cat", "Dog"]);
  const tools = TOOL_FACTORIES.map((create) => create());
  const calls: string[] = [];
  return {
    calls,
    editor,
    tools,
    activeTool: () => tools.find((tool) => tool.name === editor.toolName)!,
    context: { requestPreview: () => calls.push("preview") } as unknown as ToolContext,
    zoomBy: (factor) => calls.push(`zoom ${factor}`),
    fit: () => calls.push("fit"),
    actualSize: () => calls.push("100 %"),
    toggleHelp: () => calls.push("help"),
  };
}

function press(t: KeyTargets, key: string, more: Partial<KeyPress & { altKey: boolean }> = {}): boolean {
  const event = { key, code: "", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...more };
  return handleKey(event as KeyboardEvent, t);
}

describe("the keymap", () => {
  it("picks labels by digit, adds instances, picks tools, sizes the brush", () => {
    const t = targets();
    expect(press(t, "2")).toBe(true);
    expect(t.editor.selectedLabel).toBe("Dog");
    expect(press(t, "9")).toBe(true); // no ninth label: still the widget's key, nothing changes
    expect(t.editor.selectedLabel).toBe("Dog");
    expect(press(t, "n")).toBe(true);
    expect(t.editor.instances.map((i) => i.label)).toEqual(["Dog"]);
    for (const [key, name] of [["e", "eraser"], ["p", "polygon"], ["f", "fill"], ["b", "brush"]]) {
      expect(press(t, key)).toBe(true);
      expect(t.editor.toolName).toBe(name);
    }
    const radius = t.editor.radius;
    press(t, "]");
    press(t, "]");
    press(t, "[");
    expect(t.editor.radius).toBe(radius + 1);
  });

  it("undo and redo with Ctrl or Cmd; other Ctrl and any Alt keys stay the browser's", () => {
    const t = targets();
    t.editor.attach(new LabelBuffer(4, 4));
    press(t, "n");
    press(t, "Delete"); // one undo step
    const count = (): number => t.editor.instances.length;
    expect(press(t, "z", { ctrlKey: true })).toBe(true);
    expect(count()).toBe(1);
    expect(press(t, "Z", { metaKey: true, shiftKey: true })).toBe(true);
    expect(count()).toBe(0);
    expect(press(t, "z", { metaKey: true })).toBe(true);
    expect(press(t, "y", { ctrlKey: true })).toBe(true);
    expect(count()).toBe(0);
    expect(press(t, "z", { ctrlKey: true })).toBe(true);
    expect(press(t, "y", { metaKey: true })).toBe(false); // Cmd+Y is the browser's history
    expect(press(t, "c", { ctrlKey: true })).toBe(false);
    expect(press(t, "n", { ctrlKey: true })).toBe(false); // plain shortcuts need no modifier
    expect(press(t, "z", { ctrlKey: true, altKey: true })).toBe(false);
    expect(press(t, "n", { altKey: true })).toBe(false);
    expect(count()).toBe(1);
    expect(press(t, "z", { ctrlKey: true })).toBe(true); // nothing left to undo: still ours
    expect(count()).toBe(1);
  });

  it("hides, deletes and outlines the selected instance", () => {
    const t = targets();
    press(t, "n");
    const id = t.editor.selectedId;
    expect(press(t, "h")).toBe(true);
    expect(t.editor.isHidden(id)).toBe(true);
    expect(press(t, "o")).toBe(true);
    expect(t.editor.outline).toBe(true);
    expect(press(t, "Delete")).toBe(true);
    expect(t.editor.instances).toHaveLength(0);
  });

  it("zooms, fits, shows 1:1 (Shift+0 whatever it types) and toggles the help", () => {
    const t = targets();
    for (const key of ["+", "=", "-", "_", "\u2212", "0", "?"]) expect(press(t, key)).toBe(true);
    for (const key of [")", "=", "0"]) expect(press(t, key, { code: "Digit0", shiftKey: true })).toBe(true);
    expect(t.calls).toEqual(["zoom 2", "zoom 2", "zoom 0.5", "zoom 0.5", "zoom 0.5", "fit", "help", "100 %", "100 %", "100 %"]);
  });

  it("gives the active tool each key first: the polygon's Enter, Backspace, Esc", () => {
    const t = targets();
    press(t, "p");
    const polygon = t.activeTool() as PolygonTool;
    polygon.vertices = [{ x: 1, y: 1 }, { x: 5, y: 1 }];
    expect(press(t, "Backspace")).toBe(true);
    expect(polygon.vertices).toEqual([{ x: 1, y: 1 }]);
    expect(press(t, "Escape")).toBe(true);
    expect(polygon.vertices).toEqual([]);
    expect(press(t, "Escape")).toBe(false); // no polygon: not ours
    expect(press(t, "Enter")).toBe(false);
  });

  it("leaves unknown keys alone", () => {
    const t = targets();
    for (const key of ["a", "q", "Tab", " ", "F5"]) expect(press(t, key)).toBe(false);
    expect(t.calls).toEqual([]);
  });

  it("lists the tools' own keys in its tools row, in toolbar order", () => {
    const keys = TOOL_FACTORIES.map((create) => create().key).join(" / ");
    expect(KEYMAP.find((s) => s.action.startsWith("brush /"))?.keys).toBe(keys);
  });

  it("names who handles each row it does not dispatch itself", () => {
    for (const s of KEYMAP) expect(s.press === undefined).toBe(s.handledBy !== undefined);
  });
});
