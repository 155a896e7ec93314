import type { Editor } from "../editor";
import { handleKey, type KeyTargets } from "../keyboard";
import type { Toolbox } from "../tools/toolbox";
import type { Disposer } from "./disposer";
import type { ImageSession } from "./imageSession";
import type { Layout } from "./layout";

/** Keys typed into a form control (a label choice, a slider) are its own. */
function isTextEntry(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && target.type !== "checkbox" && target.type !== "range") ||
    target instanceof HTMLTextAreaElement
  );
}

/**
 * The widget's keys, on its root: Esc and ? close the open overlay; every
 * other key goes to the shortcuts (keyboard.ts) once an image is shown. A
 * handled key stops there, so it never reaches the notebook.
 */
export function bindKeyboard(layout: Layout, editor: Editor, toolbox: Toolbox, session: ImageSession, disposer: Disposer): void {
  const { root, instructions, help, stage } = layout;
  const targets: KeyTargets = {
    editor,
    tools: toolbox.tools,
    activeTool: () => toolbox.active,
    context: toolbox.context,
    zoomBy: (factor) => stage.zoomBy(factor),
    fit: () => stage.fit(),
    actualSize: () => stage.zoomTo(1),
    toggleHelp: () => help.toggle(),
    navigate: (action) => session.navigate(action),
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    let handled = false;
    if (e.key === "Escape" && instructions.dialog.isOpen) {
      instructions.dialog.hide();
      handled = true;
    } else if (help.isOpen && (e.key === "Escape" || e.key === "?")) {
      help.hide();
      handled = true;
    } else if (editor.buffer !== null && !isTextEntry(e.target)) {
      handled = handleKey(e, targets);
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };
  root.addEventListener("keydown", onKeyDown);
  disposer.add(() => root.removeEventListener("keydown", onKeyDown));
}
