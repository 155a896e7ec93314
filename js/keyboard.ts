import type { Editor } from "./editor";
import { KEYMAP } from "./keymap";
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

/**
 * The widget's keyboard: the table is `KEYMAP` in keymap.ts (it also makes
 * the help overlay and the README's key table). Returns true when the key
 * was handled; the caller then stops it, so it never reaches the notebook.
 */
export function handleKey(e: KeyboardEvent, t: KeyTargets): boolean {
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return false;
  if (!mod && t.activeTool().keyDown?.(e.key, t.context)) return true;
  // With Ctrl/Cmd only undo and redo are ours; other browser shortcuts (copy, reload, ...) stay the browser's.
  for (const shortcut of KEYMAP) {
    if ((shortcut.mod ?? false) !== mod) continue;
    const handled = shortcut.press?.(e, t);
    if (handled !== undefined) return handled;
  }
  return false;
}
