import { Dialog } from "./dialog";
import { button, h } from "./dom";

/**
 * The two instruction regions. They are HTML written by the notebook author,
 * as in SageMaker's <short-instructions>/<full-instructions>, so they go in
 * with innerHTML by design; nothing else in the widget does.
 */
export class Instructions {
  readonly el = h("div", "crowdseg-instructions");
  /** Placed by the caller at the root so that its overlay can cover the widget. */
  readonly dialog = new Dialog("crowdseg-full-instructions", "Full instructions");
  private readonly short = h("div", "crowdseg-short-instructions");
  private readonly openButton = button("crowdseg-full-instructions-button", "View full instructions", () =>
    this.dialog.open(),
  );

  constructor() {
    this.el.append(this.short, this.openButton);
  }

  set(shortHtml: string, fullHtml: string): void {
    this.short.innerHTML = shortHtml;
    this.dialog.body.innerHTML = fullHtml;
    this.short.hidden = shortHtml.trim() === "";
    this.openButton.hidden = fullHtml.trim() === "";
    this.el.hidden = this.short.hidden && this.openButton.hidden;
  }
}
