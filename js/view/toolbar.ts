import { MAX_RADIUS, MAX_TOLERANCE, type Editor } from "../editor";
import { isPendingMaskTool } from "../tools/pendingMaskTool";
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

function checkbox(className: string, text: string, onChange: (checked: boolean) => void): [HTMLLabelElement, HTMLInputElement] {
  const input = suppressShortcuts(h("input", className));
  input.type = "checkbox";
  input.addEventListener("change", () => onChange(input.checked));
  const label = h("label", "crowdseg-control");
  label.append(input, h("span", "crowdseg-control-name", text));
  return [label, input];
}

/** What the toolbar's view buttons do (the stage owns zoom). */
export interface ViewActions {
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
  actualSize(): void;
  help(): void;
}

function titled<E extends HTMLElement>(el: E, title: string): E {
  el.title = title;
  el.setAttribute("aria-label", title);
  return el;
}

/** What a model tool's disabled button says: how to pass an assist. */
export const NEEDS_ASSIST =
  "needs an assist: pass InstanceSegmentation(..., assist=grabcut()) (from crowdseg_widget.assist import grabcut) or set w.assist";

/**
 * Tool buttons (from the tool registry; the model tools disabled while Python
 * has no assist), undo/redo, brush size or the magic wand's tolerance,
 * overlap policy, view controls, opacity.
 */
export class Toolbar {
  readonly el = h("div", "crowdseg-toolbar");
  private readonly buttons: HTMLButtonElement[];
  private readonly tools: readonly Tool[];
  private readonly radius: HTMLInputElement;
  private readonly sizeControl = h("label", "crowdseg-control");
  private readonly toleranceControl = h("label", "crowdseg-control crowdseg-tolerance-control");
  private readonly tolerance: HTMLInputElement;
  private readonly size = h("span", "crowdseg-radius-readout");
  private readonly opacity: HTMLInputElement;
  private readonly undo: HTMLButtonElement;
  private readonly redo: HTMLButtonElement;
  private readonly preserve: HTMLInputElement;
  private readonly outline: HTMLInputElement;
  private readonly zoomReadout = h("span", "crowdseg-zoom-readout");

  constructor(private readonly editor: Editor, tools: readonly Tool[], view: ViewActions) {
    this.tools = tools;
    this.buttons = tools.map((tool) => {
      const b = button("crowdseg-tool", tool.title, () => editor.setTool(tool.name));
      b.dataset.tool = tool.name;
      b.title = tool.key ? `${tool.title} (${tool.key})` : tool.title;
      return b;
    });
    this.tolerance = slider("crowdseg-tolerance", 0, MAX_TOLERANCE, editor.tolerance, (v) => editor.setTolerance(v));
    this.tolerance.title = "Magic wand tolerance: the largest color difference taken in ([ and ])";
    this.toleranceControl.append(h("span", "crowdseg-control-name", "Tolerance"), this.tolerance);
    this.undo = titled(button("crowdseg-undo", "↶", () => editor.undo()), "Undo (Ctrl/Cmd+Z)");
    this.redo = titled(button("crowdseg-redo", "↷", () => editor.redo()), "Redo (Ctrl/Cmd+Shift+Z, Ctrl+Y)");
    this.radius = slider("crowdseg-radius", 0, MAX_RADIUS, editor.radius, (v) => editor.setRadius(v));
    this.radius.title = "Brush radius r ([ and ])";
    this.opacity = slider("crowdseg-opacity", 0, 100, editor.opacity, (v) => editor.setOpacity(v));
    this.opacity.title = "Overlay opacity";
    const [preserve, preserveInput] = checkbox("crowdseg-preserve", "Preserve other instances", (v) => editor.setPreserve(v));
    preserve.title = "On: tools change only background and the selected instance. Off: paint over other instances.";
    this.preserve = preserveInput;
    const [outline, outlineInput] = checkbox("crowdseg-outline", "Outlines", (v) => editor.setOutline(v));
    outline.title = "Show instances as outlines only (o)";
    this.outline = outlineInput;

    const tools_ = h("div", "crowdseg-tools");
    tools_.append(...this.buttons);
    const history = h("div", "crowdseg-tools");
    history.append(this.undo, this.redo);
    const size = this.sizeControl;
    size.append(h("span", "crowdseg-control-name", "Brush"), this.radius, this.size);
    const zoom = h("div", "crowdseg-tools crowdseg-zoom");
    zoom.append(
      titled(button("crowdseg-zoom-out", "−", view.zoomOut), "Zoom out (−)"),
      this.zoomReadout,
      titled(button("crowdseg-zoom-in", "+", view.zoomIn), "Zoom in (+)"),
      titled(button("crowdseg-zoom-fit", "Fit", view.fit), "Fit the image (0)"),
      titled(button("crowdseg-zoom-100", "1:1", view.actualSize), "100 %: one image pixel per screen pixel (Shift+0)"),
    );
    const opacity = h("label", "crowdseg-control");
    opacity.append(h("span", "crowdseg-control-name", "Opacity"), this.opacity);
    const help = titled(button("crowdseg-help-button", "?", view.help), "Keyboard shortcuts (?)");
    this.el.append(tools_, history, size, this.toleranceControl, preserve, zoom, opacity, outline, help);
    this.update();
  }

  update(): void {
    const { editor } = this;
    this.buttons.forEach((b, i) => {
      const tool = this.tools[i];
      const active = tool.name === editor.toolName;
      b.classList.toggle("is-active", active);
      b.setAttribute("aria-pressed", String(active));
      const disabled = isPendingMaskTool(tool) && tool.needsAssist && !editor.assistAvailable;
      b.disabled = disabled;
      const name = tool.key ? `${tool.title} (${tool.key})` : tool.title;
      b.title = disabled ? `${name}: ${NEEDS_ASSIST}` : name;
    });
    const wand = editor.toolName === "magic-wand";
    this.sizeControl.hidden = wand;
    this.toleranceControl.hidden = !wand;
    this.tolerance.value = String(editor.tolerance);
    this.radius.value = String(editor.radius);
    // The footprint is 2r + 1 pixels across: show what the user gets.
    this.size.textContent = `size ${2 * editor.radius + 1} px`;
    this.opacity.value = String(editor.opacity);
    this.undo.disabled = !editor.canUndo;
    this.redo.disabled = !editor.canRedo;
    this.preserve.checked = editor.preserve;
    this.outline.checked = editor.outline;
  }

  /** `scale`: screen pixels per image pixel. */
  setZoom(scale: number): void {
    this.zoomReadout.textContent = `${Math.round(scale * 100)} %`;
  }
}
