import type { Editor } from "./editor";
import type { NavigationAction } from "./model";
import type { Tool, ToolContext } from "./tools/tool";

/** What the shortcuts act on besides the editor. */
export interface KeyTargets {
  editor: Editor;
  tools: readonly Tool[];
  activeTool(): Tool;
  context: ToolContext;
  zoomBy(factor: number): void;
  fit(): void;
  actualSize(): void;
  toggleHelp(): void;
  /** Move in a dataset session; false when there is none (the key is then not ours). */
  navigate?(action: NavigationAction): boolean;
}

/** Dataset navigation keys: none of them is a painting shortcut. */
const NAVIGATION_KEYS: ReadonlyMap<string, NavigationAction> = new Map([
  [".", "next"],
  ["PageDown", "next"],
  [",", "previous"],
  ["PageUp", "previous"],
  ["s", "skip"],
]);

/**
 * The widget's keyboard (the table is `SHORTCUTS` in view/help.ts). Returns
 * true when the key was handled; the caller then stops it, so it never
 * reaches the notebook.
 */
export function handleKey(e: KeyboardEvent, t: KeyTargets): boolean {
  const { editor } = t;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key;
  if (mod && !e.altKey) {
    const lower = key.toLowerCase();
    if (lower === "z" && !e.shiftKey) return editor.undo() || true;
    if ((lower === "z" && e.shiftKey) || (lower === "y" && e.ctrlKey && !e.shiftKey)) return editor.redo() || true;
    return false; // other browser shortcuts (copy, reload, ...) stay the browser's
  }
  if (e.altKey) return false;
  if (t.activeTool().keyDown?.(key, t.context)) return true;
  if (e.code === "Digit0" && e.shiftKey) {
    t.actualSize();
    return true;
  }
  if (/^[1-9]$/.test(key)) {
    const label = editor.labels[Number(key) - 1];
    if (label !== undefined) editor.selectLabel(label);
    return true;
  }
  const action = NAVIGATION_KEYS.get(key);
  if (action !== undefined) return t.navigate?.(action) ?? false;
  const tool = t.tools.find((candidate) => candidate.key === key);
  if (tool !== undefined) {
    editor.setTool(tool.name);
    return true;
  }
  switch (key) {
    case "n":
      if (editor.selectedLabel !== null) editor.addInstance(editor.selectedLabel);
      return true;
    case "h":
      if (editor.selectedId > 0) editor.toggleHidden(editor.selectedId);
      return true;
    case "o":
      editor.setOutline(!editor.outline);
      return true;
    case "Delete":
      if (editor.selectedId > 0) editor.deleteInstance(editor.selectedId);
      return true;
    case "[":
      editor.setRadius(editor.radius - 1);
      return true;
    case "]":
      editor.setRadius(editor.radius + 1);
      return true;
    case "+":
    case "=":
      t.zoomBy(2);
      return true;
    case "-":
    case "_":
    case "\u2212": // the minus sign shown on the button and in the help (some layouts type it)
      t.zoomBy(0.5);
      return true;
    case "0":
      t.fit();
      return true;
    case "?":
      t.toggleHelp();
      return true;
    default:
      return false;
  }
}
