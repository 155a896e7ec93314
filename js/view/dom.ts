/** Create an element with a class and optional text (always textContent: data is never HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * Keep notebook shortcuts (`a`, `b`, `d d`, ...) away from a focusable element.
 * Lumino stops looking for a shortcut at the first element carrying this
 * attribute, but it checks the focused element itself first (JupyterLab's
 * command-mode selectors match any `:focus`), so the root's attribute alone
 * is not enough: every focusable element carries it too.
 */
export function suppressShortcuts<E extends HTMLElement>(el: E): E {
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  return el;
}

export function button(className: string, text: string, onClick: () => void): HTMLButtonElement {
  const el = suppressShortcuts(h("button", className, text));
  el.type = "button";
  el.addEventListener("click", onClick);
  return el;
}
