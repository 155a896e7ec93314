import type { Editor, EditorEvents, EditorListener } from "../editor";
import type { Toolbox } from "../tools/toolbox";
import type { Disposer } from "./disposer";
import type { ImageSession } from "./imageSession";
import type { Layout } from "./layout";

/** One handler for every editor event: a new event does not compile until it is handled here. */
type EditorHandlers = { [K in keyof EditorEvents]: EditorListener<K> };

/** Editor → view and sync: each event updates what shows it; "committed" alone reaches the sync. */
export function bindEditor(editor: Editor, toolbox: Toolbox, layout: Layout, session: ImageSession, disposer: Disposer): void {
  const { panel, stage, toolbar } = layout;
  const showColors = (): void => stage.setColors(editor.instances.map((inst) => inst.color), new Set(editor.hidden));
  const handlers: EditorHandlers = {
    labels: () => panel.render(),
    instances: () => {
      panel.render();
      showColors();
      toolbar.update(); // Python's annotation clears the undo history
    },
    selection: () => panel.updateSelection(),
    tool: ({ previous }) => {
      toolbox.switchedFrom(previous);
      toolbar.update();
    },
    radius: () => toolbar.update(),
    opacity: () => {
      toolbar.update();
      stage.setOpacity(editor.opacity);
    },
    pixels: ({ rect }) => (rect === null ? stage.invalidateAll() : stage.invalidate(rect)),
    committed: () => {
      session.sync.committed(); // the patch leaves first: the kernel does not wait for the DOM
      panel.updateCounts();
      toolbar.update();
    },
    stroke: ({ active }) => {
      if (!active) session.strokeEnded();
    },
    display: () => {
      showColors();
      stage.setOutline(editor.outline);
      panel.updateDisplay();
      toolbar.update();
    },
    policy: () => toolbar.update(),
  };
  const bind = <K extends keyof EditorEvents>(event: K): void => disposer.add(editor.on(event, handlers[event]));
  for (const event of Object.keys(handlers) as Array<keyof EditorEvents>) bind(event);
  stage.setOpacity(editor.opacity);
  toolbar.update();
}
