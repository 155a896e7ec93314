import type { KeyTargets } from "./keyboard";
import type { NavigationAction } from "./model";
import { isPendingMaskTool, type PendingMaskTool } from "./tools/pendingMaskTool";

/** The parts of a key press the shortcuts look at. */
export type KeyPress = Pick<KeyboardEvent, "key" | "code" | "shiftKey" | "ctrlKey" | "metaKey">;

/**
 * One row of the keymap: how the help overlay and the README show it, and,
 * for the rows this table dispatches, what the press does.
 */
export interface Shortcut {
  /** The keys, as shown. */
  readonly keys: string;
  readonly action: string;
  /** Pressed with Ctrl (or Cmd); the others only without. */
  readonly mod?: boolean;
  /**
   * Undefined when the press is not this shortcut; else whether it was
   * handled (false: the key goes on to the notebook). Absent for the rows
   * handled elsewhere, named in `handledBy`.
   */
  readonly press?: (e: KeyPress, t: KeyTargets) => boolean | undefined;
  readonly handledBy?: string;
}

/** `act` for presses of the given `e.key`s (handled unless it returns false). */
function on(keys: readonly string[], act: (t: KeyTargets, e: KeyPress) => boolean | void) {
  return (e: KeyPress, t: KeyTargets): boolean | undefined => (keys.includes(e.key) ? act(t, e) !== false : undefined);
}

/**
 * `act` on the active tool when it makes pending masks (auto-segment,
 * click-to-mask, wand), for presses of `key` (with Shift held or not, if `shift` says).
 */
function pending(key: string, act: (tool: PendingMaskTool, t: KeyTargets, e: KeyPress) => boolean, shift?: boolean) {
  return (e: KeyPress, t: KeyTargets): boolean | undefined => {
    const tool = t.activeTool();
    if (e.key !== key || (shift !== undefined && e.shiftKey !== shift) || !isPendingMaskTool(tool)) return undefined;
    return act(tool, t, e);
  };
}

function navigate(action: NavigationAction) {
  // Without a dataset session the key is not ours (navigate absent or false).
  return (t: KeyTargets): boolean => t.navigate?.(action) ?? false;
}

const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
const ZOOM_IN = ["+", "="];
// "−" is the minus sign shown on the button and in the help (some layouts type it).
const ZOOM_OUT = ["-", "_", "\u2212"];

/**
 * Every keyboard shortcut, in the order the help and the README list them
 * and `handleKey` tries them (the active tool gets each key first: the
 * polygon's Enter, Backspace, Esc). Where presses overlap, the earlier row
 * wins: Shift+0 types "=" or "0" on some layouts, so it comes before them.
 */
export const KEYMAP: readonly Shortcut[] = [
  {
    keys: "1 – 9",
    action: "select label 1 – 9 (its latest instance)",
    press: on(DIGITS, ({ editor }, e) => {
      const label = editor.labels[Number(e.key) - 1];
      if (label !== undefined) editor.selectLabel(label);
    }),
  },
  {
    keys: "n",
    action: "add an instance of the selected label",
    press: on(["n"], ({ editor }) => {
      if (editor.selectedLabel !== null) editor.addInstance(editor.selectedLabel);
    }),
  },
  {
    keys: "b / e / p / f / w / x / k",
    action: "brush / eraser / polygon / fill bucket / magic wand / auto-segment / click-to-mask (x and k need an assist)",
    press: (e, t) => {
      const tool = t.tools.find((candidate) => candidate.key === e.key);
      if (tool === undefined) return undefined;
      // A model tool without an assist stays disabled; the key is still the widget's.
      if (!isPendingMaskTool(tool) || !tool.needsAssist || t.editor.assistAvailable) t.editor.setTool(tool.name);
      return true;
    },
  },
  {
    keys: "[ / ]",
    action: "brush size smaller / larger (magic wand: tolerance)",
    press: on(["[", "]"], ({ editor }, e) => {
      const step = e.key === "]" ? 1 : -1;
      if (editor.toolName === "magic-wand") editor.setTolerance(editor.tolerance + 4 * step);
      else editor.setRadius(editor.radius + step);
    }),
  },
  { keys: "Enter", action: "close the polygon", handledBy: "the active tool (polygon)" },
  { keys: "Backspace", action: "remove the polygon's last vertex", handledBy: "the active tool (polygon)" },
  {
    keys: "Esc",
    action: "cancel the polygon; close the shortcut help",
    handledBy: "the active tool (polygon); the widget's key listener closes the help",
  },
  {
    keys: "Enter",
    action: "accept the pending mask: a new instance of the selected label (or the selected instance while it has no pixels)",
    press: pending("Enter", (tool, t) => tool.accept("new", t.context), false),
  },
  {
    keys: "Shift + Enter",
    action: "add the pending mask to the selected instance",
    press: pending("Enter", (tool, t) => tool.accept("add", t.context), true),
  },
  {
    keys: "Tab / Shift + Tab",
    action: "next / previous candidate of the pending mask",
    press: pending("Tab", (tool, _t, e) => tool.cycle(e.shiftKey ? -1 : 1)),
  },
  {
    keys: "Backspace",
    action: "remove the last prompt (auto-segment point, click, box)",
    press: pending("Backspace", (tool, t) => tool.removeLastPrompt(t.context)),
  },
  {
    keys: "Esc",
    action: "discard the pending mask and its prompts",
    press: pending("Escape", (tool, t) => tool.discard(t.context)),
  },
  {
    keys: "Ctrl/Cmd + Z",
    action: "undo",
    mod: true,
    press: (e, { editor }) => (e.key.toLowerCase() === "z" && !e.shiftKey ? editor.undo() || true : undefined),
  },
  {
    keys: "Ctrl/Cmd + Shift + Z, Ctrl + Y",
    action: "redo",
    mod: true,
    press: (e, { editor }) => {
      const lower = e.key.toLowerCase();
      const redo = (lower === "z" && e.shiftKey) || (lower === "y" && e.ctrlKey && !e.shiftKey);
      return redo ? editor.redo() || true : undefined;
    },
  },
  {
    keys: "h",
    action: "hide / show the selected instance",
    press: on(["h"], ({ editor }) => {
      if (editor.selectedId > 0) editor.toggleHidden(editor.selectedId);
    }),
  },
  {
    keys: "Delete",
    action: "delete the selected instance (its pixels become background)",
    press: on(["Delete"], ({ editor }) => {
      if (editor.selectedId > 0) editor.deleteInstance(editor.selectedId);
    }),
  },
  {
    keys: "o",
    action: "outline-only view on / off",
    press: on(["o"], ({ editor }) => editor.setOutline(!editor.outline)),
  },
  {
    keys: "Shift + 0",
    action: "zoom to 100 % (one image pixel per screen pixel)",
    press: (e, t) => (e.code === "Digit0" && e.shiftKey ? (t.actualSize(), true) : undefined),
  },
  {
    keys: "+ / −, wheel",
    action: "zoom in / out (around the pointer)",
    press: on([...ZOOM_IN, ...ZOOM_OUT], (t, e) => t.zoomBy(ZOOM_IN.includes(e.key) ? 2 : 0.5)),
  },
  { keys: "0", action: "fit the image", press: on(["0"], (t) => t.fit()) },
  { keys: "Space + drag, middle drag", action: "pan", handledBy: "view/stage.ts" },
  {
    keys: ". / PageDown",
    action: "dataset: done with this image, go to the next",
    press: on([".", "PageDown"], navigate("next")),
  },
  { keys: ", / PageUp", action: "dataset: previous image", press: on([",", "PageUp"], navigate("previous")) },
  { keys: "s", action: "dataset: skip this image", press: on(["s"], navigate("skip")) },
  { keys: "?", action: "show / hide the shortcut help", press: on(["?"], (t) => t.toggleHelp()) },
];
