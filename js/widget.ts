/**
 * The anywidget entry: `render` composes the parts of a view and returns
 * its cleanup. A stroke flows one way: stage → toolbox (tool) → editor
 * (label buffer, undo history) → "committed" → value sync → `value` → Python.
 */
import { Editor } from "./editor";
import type { WidgetModel } from "./model";
import { Toolbox } from "./tools/toolbox";
import { bindAssist } from "./widget/assistBinding";
import { Disposer } from "./widget/disposer";
import { bindEditor } from "./widget/editorBindings";
import { ImageSession } from "./widget/imageSession";
import { bindKeyboard } from "./widget/keyboardBinding";
import { bindLabelEditing } from "./widget/labelEditing";
import { buildLayout, type Layout } from "./widget/layout";
import { bindModel } from "./widget/modelBindings";
import { bindNoKernel } from "./widget/noKernel";

function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  const disposer = new Disposer();
  const editor = new Editor();
  // The tools reach the stage only through this view (the stage is made with the layout, below).
  const toolbox = new Toolbox(editor, {
    invalidate: (rect) => layout.stage.invalidate(rect),
    requestPreview: () => layout.stage.schedulePreview(),
    get hitRadius() {
      return layout.stage.hitRadius;
    },
  });
  const layout: Layout = buildLayout(model, editor, toolbox, (action) => session.navigate(action));
  el.querySelector(":scope > .crowdseg-disconnected")?.remove(); // a note an earlier view left
  el.append(layout.root);
  disposer.add(() => layout.root.remove());
  disposer.add(() => layout.stage.dispose());
  disposer.add(() => layout.reviewer.dispose());

  const session = new ImageSession(model, editor, toolbox, layout);
  bindEditor(editor, toolbox, layout, session, disposer);
  bindModel(model, editor, session, layout, disposer);
  bindKeyboard(layout, editor, toolbox, session, disposer);
  bindLabelEditing(model, editor, layout.panel, disposer); // allow_new_labels: "Add label" writes `labels`
  bindAssist(model, editor, toolbox, layout, disposer);
  bindNoKernel(model, editor, layout, session, disposer); // a static page: nothing is saved, "Download result"
  // Runs first: a stroke in progress is kept and the last edit sent while everything is still wired.
  disposer.add(() => session.dispose());
  session.start();
  return () => {
    disposer.dispose();
    noteIfLeftBehind(el);
  };
}

/**
 * A host may close the model yet keep this view's element on the page
 * (marimo, after re-running an import-only cell above the widget; docs/hosts.md):
 * say so instead of leaving a blank output. A host that removes the element says nothing.
 */
function noteIfLeftBehind(el: HTMLElement): void {
  setTimeout(() => {
    if (!el.isConnected || el.childElementCount > 0) return;
    const note = document.createElement("div");
    note.className = "crowdseg-disconnected";
    note.textContent =
      "This widget is no longer connected to Python. Run the cell that creates it again; what was painted is in Python.";
    el.append(note);
  }, 0);
}

export default { render };
