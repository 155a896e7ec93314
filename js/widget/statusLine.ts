import type { WidgetModel } from "../model";
import { h } from "../view/dom";

/** `.crowdseg-status`: this view's own trouble (loading, sync) and `_sync_error`, what Python was told. */
export class StatusLine {
  readonly el = h("div", "crowdseg-status");
  private local = "";
  private sync = "";

  constructor(private readonly model: WidgetModel) {
    this.el.setAttribute("role", "status");
  }

  /** Trouble loading the image or the annotation ("" when gone). */
  setLocal(message: string): void {
    this.local = message;
    this.show();
  }

  /** The sync's own trouble ("" when gone); not repeated when Python was told the same. */
  setSync(message: string): void {
    this.sync = message;
    this.show();
  }

  show(): void {
    const reported = this.model.get("_sync_error");
    const text = [this.local, this.sync === reported ? "" : this.sync, reported].filter(Boolean).join(" ");
    // Written only when it changes: every value sent clears it, and a write dirties JupyterLab's layout.
    if (this.el.textContent !== text) this.el.textContent = text;
    if (this.el.hidden !== (text === "")) this.el.hidden = text === "";
  }
}
