import type { Editor } from "../editor";
import type { WidgetModel } from "../model";
import type { Panel } from "../view/panel";
import type { Disposer } from "./disposer";

declare module "../model" {
  interface Traits {
    /** The labeler may add labels (and delete unused ones) in the panel; the view writes `labels`. */
    allow_new_labels?: boolean;
  }
}

/**
 * `allow_new_labels`: the panel's "Add label" field and delete controls
 * write `labels` (Python's `w.labels` follows); the editor follows the
 * model's `labels` as always (modelBindings). A new label is selected.
 */
export function bindLabelEditing(model: WidgetModel, editor: Editor, panel: Panel, disposer: Disposer): void {
  const write = (labels: string[]): void => {
    model.set("labels", labels);
    model.save_changes();
  };
  const editing = {
    add: (label: string): void => {
      write([...(model.get("labels") ?? []), label]);
      editor.selectLabel(label);
    },
    remove: (label: string): void => write((model.get("labels") ?? []).filter((other) => other !== label)),
  };
  const follow = (): void => panel.setLabelEditing(model.get("allow_new_labels") === true ? editing : null);
  disposer.on(model, "change:allow_new_labels", follow);
  follow();
}
