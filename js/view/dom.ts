/** Create an element with a class and optional text (always textContent: data is never HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

export function button(className: string, text: string, onClick: () => void): HTMLButtonElement {
  const el = h("button", className, text);
  el.type = "button";
  el.addEventListener("click", onClick);
  return el;
}
