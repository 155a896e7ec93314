import { describe, expect, it } from "vitest";
import { Editor } from "./editor";
import { handleKey } from "./keyboard";
import type { NavigationAction } from "./model";
import { TOOL_FACTORIES, type ToolContext } from "./tools/index";
import { isNavigation, positionText } from "./view/navigation";

const NAV = { position: 11, total: 340, done: 57, skipped: 0, name: "a/b.jpg", status: "", problem: "" };

function press(key: string, navigate?: (action: NavigationAction) => boolean): boolean {
  const editor = new Editor();
  editor.setLabels(["Cat"]);
  const tools = TOOL_FACTORIES.map((create) => create());
  const event = { key, code: "", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false } as KeyboardEvent;
  return handleKey(event, {
    editor,
    tools,
    activeTool: () => tools[0],
    context: {} as ToolContext,
    zoomBy: () => {},
    fit: () => {},
    actualSize: () => {},
    toggleHelp: () => {},
    navigate,
  });
}

describe("dataset navigation", () => {
  it("shows the 1-based position and the done count, and the skipped ones when any", () => {
    expect(positionText(NAV)).toBe("12 / 340, 57 done");
    expect(positionText({ ...NAV, skipped: 3 })).toBe("12 / 340, 57 done, 3 skipped");
  });

  it("is in use only when Python sent a position", () => {
    expect(isNavigation(NAV)).toBe(true);
    expect(isNavigation({})).toBe(false);
    expect(isNavigation(undefined)).toBe(false);
  });

  it("'.' / PageDown, ',' / PageUp and 's' ask to move", () => {
    const asked: NavigationAction[] = [];
    const navigate = (action: NavigationAction): boolean => {
      asked.push(action);
      return true;
    };
    for (const key of [".", "PageDown", ",", "PageUp", "s"]) expect(press(key, navigate)).toBe(true);
    expect(asked).toEqual(["next", "next", "previous", "previous", "skip"]);
  });

  it("its keys are no other shortcut: without a session they are not handled at all", () => {
    for (const key of [".", "PageDown", ",", "PageUp", "s"]) {
      expect(press(key)).toBe(false);
      expect(press(key, () => false)).toBe(false);
    }
  });

  it("a new image starts the colors over and shows every instance", () => {
    const editor = new Editor();
    editor.setLabels(["Cat"]);
    const first = editor.addInstance("Cat");
    editor.toggleHidden(first.id);
    editor.replaceInstances([]);
    expect(editor.addInstance("Cat").color).toBe("#1f77b4"); // same image: #2ca02c stays used
    editor.startImage();
    editor.replaceInstances([]);
    expect(editor.addInstance("Cat").color).toBe("#2ca02c");
    expect(editor.hidden.size).toBe(0);
  });
});
