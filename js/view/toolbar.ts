import { MAX_RADIUS, type Editor } from "../editor";
import type { Tool } from "../tools/tool";
import { button, h, suppressShortcuts } from "./dom";

function slider(className: string, min: number, max: number, value: number, onInput: (v: number) => void): HTMLInputElement {
  const input = suppressShortcuts(h("input", className));
  input.type = "range";
  input.min = String(min);
  input.max = String(max);
  input.step = "1";
  input.value = String(value);
  input.addEventListener("input", () => onInput(Number(input.value)));
  return input;
}

/** Tool buttons (from the tool registry), brush radius and overlay opacity. */
export class Toolbar {
  readonly el = h("div", "crowdseg-toolbar");
  private readonly buttons: HTMLButtonElement[];
  private readonly radius: HTMLInputElement;
  private readonly size = h("span", "crowdseg-radius-readout");
  private readonly opacity: HTMLInputElement;

  constructor(private readonly editor: Editor, tools: readonly Tool[]) {
    this.buttons = tools.map((tool) => {
      const b = button("crowdseg-tool", tool.title, () => editor.setTool(tool.name));
      b.dataset.tool = tool.name;
      return b;
    });
    this.radius = slider("crowdseg-radius", 0, MAX_RADIUS, editor.radius, (v) => editor.setRadius(v));
    this.radius.title = "Brush radius r";
    this.opacity = slider("crowdseg-opacity", 0, 100, editor.opacity, (v) => editor.setOpacity(v));
    this.opacity.title = "Overlay opacity";
    const tools_ = h("div", "crowdseg-tools");
    tools_.append(...this.buttons);
    const size = h("label", "crowdseg-control");
    size.append(h("span", "crowdseg-control-name", "Brush"), this.radius, this.size);
    const opacity = h("label", "crowdseg-control");
    opacity.append(h("span", "crowdseg-control-name", "Opacity"), this.opacity);
    this.el.append(tools_, size, opacity);
    this.update();
  }

  update(): void {
    const { editor } = this;
    for (const b of this.buttons) {
      const active = b.dataset.tool === editor.toolName;
      b.classList.toggle("is-active", active);
      b.setAttribute("aria-pressed", String(active));
    }
    this.radius.value = String(editor.radius);
    // The footprint is 2r + 1 pixels across: show what the user gets.
    this.size.textContent = `size ${2 * editor.radius + 1} px`;
    this.opacity.value = String(editor.opacity);
  }
}
