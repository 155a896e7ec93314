import { button, h } from "./dom";

/**
 * A panel over the widget (full instructions, shortcut help): closed by its
 * Close button or a click on the backdrop; focus returns where it was.
 * `className` names the overlay; its panel and body get `-panel` / `-body`.
 */
export class Dialog {
  readonly overlay: HTMLElement;
  readonly body: HTMLElement;
  private readonly close = button("crowdseg-close", "Close", () => this.hide());
  private returnFocus: HTMLElement | null = null;

  constructor(className: string, title: string) {
    this.overlay = h("div", className);
    this.overlay.hidden = true;
    this.overlay.setAttribute("role", "dialog");
    this.overlay.setAttribute("aria-label", title);
    const panel = h("div", `${className}-panel`);
    const head = h("div", "crowdseg-dialog-head");
    head.append(h("strong", "", title), this.close);
    this.body = h("div", `${className}-body`);
    panel.append(head, this.body);
    this.overlay.append(panel);
    this.overlay.addEventListener("click", (e) => {
      if (e.target === this.overlay) this.hide();
    });
  }

  get isOpen(): boolean {
    return !this.overlay.hidden;
  }

  toggle(): void {
    if (this.isOpen) this.hide();
    else this.open();
  }

  open(): void {
    const active = document.activeElement;
    this.returnFocus = active instanceof HTMLElement ? active : null;
    this.overlay.hidden = false;
    this.close.focus();
  }

  hide(): void {
    this.overlay.hidden = true;
    if (this.returnFocus?.isConnected) this.returnFocus.focus({ preventScroll: true });
    this.returnFocus = null;
  }
}
