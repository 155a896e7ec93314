import { button, h } from "./dom";

/** Every keyboard shortcut, as shown in the help overlay and the README. */
export const SHORTCUTS: ReadonlyArray<readonly [keys: string, action: string]> = [
  ["1 – 9", "select label 1 – 9 (its latest instance)"],
  ["n", "add an instance of the selected label"],
  ["b / e / p / f", "brush / eraser / polygon / fill bucket"],
  ["[ / ]", "brush size smaller / larger"],
  ["Enter", "close the polygon"],
  ["Backspace", "remove the polygon's last vertex"],
  ["Esc", "cancel the polygon; close this help"],
  ["Ctrl/Cmd + Z", "undo"],
  ["Ctrl/Cmd + Shift + Z, Ctrl + Y", "redo"],
  ["h", "hide / show the selected instance"],
  ["Delete", "delete the selected instance (its pixels become background)"],
  ["o", "outline-only view on / off"],
  ["+ / −, wheel", "zoom in / out (around the pointer)"],
  ["0", "fit the image"],
  ["Shift + 0", "zoom to 100 % (one image pixel per screen pixel)"],
  ["Space + drag, middle drag", "pan"],
  ["?", "this help"],
];

/** The shortcut overlay (`?`), listing `SHORTCUTS`. */
export class Help {
  readonly overlay = h("div", "crowdseg-help");
  private readonly close = button("crowdseg-close", "Close", () => this.hide());
  private returnFocus: HTMLElement | null = null;

  constructor() {
    this.overlay.hidden = true;
    this.overlay.setAttribute("role", "dialog");
    this.overlay.setAttribute("aria-label", "Keyboard shortcuts");
    const panel = h("div", "crowdseg-help-panel");
    const head = h("div", "crowdseg-full-instructions-head");
    head.append(h("strong", "", "Keyboard shortcuts (while the image has focus)"), this.close);
    const table = h("table", "crowdseg-shortcuts");
    for (const [keys, action] of SHORTCUTS) {
      const row = h("tr", "");
      row.append(h("td", "crowdseg-shortcut-keys", keys), h("td", "", action));
      table.append(row);
    }
    panel.append(head, table);
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
    this.returnFocus?.focus({ preventScroll: true });
    this.returnFocus = null;
  }
}
