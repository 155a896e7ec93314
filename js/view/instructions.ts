import { button, h } from "./dom";

/**
 * The two instruction regions. They are HTML written by the notebook author,
 * as in SageMaker's <short-instructions>/<full-instructions>, so they go in
 * with innerHTML by design; nothing else in the widget does.
 */
export class Instructions {
  readonly el = h("div", "crowdseg-instructions");
  /** The overlay; placed by the caller at the root so it can cover the widget. */
  readonly overlay = h("div", "crowdseg-full-instructions");
  private readonly short = h("div", "crowdseg-short-instructions");
  private readonly openButton = button("crowdseg-full-instructions-button", "View full instructions", () => this.open());
  private readonly full = h("div", "crowdseg-full-instructions-body");
  private readonly close = button("crowdseg-close", "Close", () => this.hide());

  constructor() {
    this.overlay.hidden = true;
    this.overlay.setAttribute("role", "dialog");
    this.overlay.setAttribute("aria-label", "Full instructions");
    const panel = h("div", "crowdseg-full-instructions-panel");
    const head = h("div", "crowdseg-full-instructions-head");
    head.append(h("strong", "", "Full instructions"), this.close);
    panel.append(head, this.full);
    this.overlay.append(panel);
    // A click on the backdrop (outside the panel) closes, as in most dialogs.
    this.overlay.addEventListener("click", (e) => {
      if (e.target === this.overlay) this.hide();
    });
    this.el.append(this.short, this.openButton);
  }

  set(shortHtml: string, fullHtml: string): void {
    this.short.innerHTML = shortHtml;
    this.full.innerHTML = fullHtml;
    this.short.hidden = shortHtml.trim() === "";
    this.openButton.hidden = fullHtml.trim() === "";
    this.el.hidden = this.short.hidden && this.openButton.hidden;
  }

  get isOpen(): boolean {
    return !this.overlay.hidden;
  }

  open(): void {
    this.overlay.hidden = false;
    this.close.focus();
  }

  hide(): void {
    this.overlay.hidden = true;
    if (this.openButton.isConnected && !this.openButton.hidden) this.openButton.focus();
  }
}
