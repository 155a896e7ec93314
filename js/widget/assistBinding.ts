import { AssistClient, type MessageModel } from "../assist/assistClient";
import { PendingMask } from "../assist/pending";
import type { LabelBuffer } from "../core/labelBuffer";
import type { Editor } from "../editor";
import type { WidgetModel } from "../model";
import { ClickToMaskTool } from "../tools/clickToMask";
import { isPendingMaskTool, type MaskToolServices, type Photo } from "../tools/pendingMaskTool";
import type { ImagePoint } from "../tools/tool";
import type { Toolbox } from "../tools/toolbox";
import { AssistStatusView } from "../view/assistStatus";
import { PendingLayer } from "../view/pendingLayer";
import type { Stage } from "../view/stage";
import type { Disposer } from "./disposer";
import type { Layout } from "./layout";

/** The photo's pixels as the stage shows them, read once per image (the wand's source). */
function photoReader(editor: Editor, stage: Stage): () => Photo | null {
  let cached: { buffer: LabelBuffer; photo: Photo } | null = null;
  return () => {
    const buffer = editor.buffer;
    if (buffer === null) return null;
    if (cached?.buffer === buffer) return cached.photo;
    const g = stage.photoCanvas().getContext("2d");
    if (g === null) return null;
    const photo = { data: g.getImageData(0, 0, buffer.width, buffer.height).data, width: buffer.width, height: buffer.height };
    cached = { buffer, photo };
    return photo;
  };
}

/** The image pixel under a pointer event (the input canvas carries the zoom and pan transform). */
function pixelAt(stage: HTMLElement, buffer: LabelBuffer, e: PointerEvent): ImagePoint | null {
  const input = stage.querySelector("canvas.crowdseg-input");
  const box = input?.getBoundingClientRect();
  if (box === undefined || box.width === 0 || box.height === 0) return null;
  const x = Math.floor(((e.clientX - box.left) * buffer.width) / box.width);
  const y = Math.floor(((e.clientY - box.top) * buffer.height) / box.height);
  return { x, y };
}

/**
 * The view's assist: the pending mask and its layer, the status, the
 * assist client on the model's custom messages (when the host has them),
 * `_assist_available` → the model tools enabled, and what the stage does
 * not pass the tools (Shift on a press, a right click).
 */
export function bindAssist(model: WidgetModel, editor: Editor, toolbox: Toolbox, layout: Layout, disposer: Disposer): void {
  const { stage, toolbar } = layout;
  const pending = new PendingMask();
  const layer = new PendingLayer();
  stage.addLayer(layer.canvas);
  pending.onChange = () => layer.show(pending.current, pending.index, pending.candidates.length);
  const status = new AssistStatusView();
  toolbar.el.append(status.el);
  const messages = model as unknown as MessageModel & { get(key: string): unknown };
  const client =
    typeof messages.send === "function" ? new AssistClient(messages, () => model.get("_image_serial") ?? 0) : null;
  if (client !== null) {
    client.onStatus = (s) => status.show(s);
    disposer.add(() => client.dispose());
  }
  const press = { shift: false };
  const services: MaskToolServices = { editor, pending, assist: client, photo: photoReader(editor, stage), press };
  for (const tool of toolbox.tools) if (isPendingMaskTool(tool)) tool.connect(services);

  const showAvailable = (): void => {
    const available = client !== null && messages.get("_assist_available") === true;
    const active = toolbox.active;
    if (!available && isPendingMaskTool(active) && active.needsAssist) editor.setTool("brush");
    editor.setAssistAvailable(available);
  };
  disposer.on(model, "change:_assist_available", showAvailable);
  showAvailable();

  const onPress = (e: PointerEvent): void => {
    press.shift = e.shiftKey;
    const tool = toolbox.active;
    if (e.button !== 2 || !(tool instanceof ClickToMaskTool) || editor.buffer === null) return;
    const p = pixelAt(stage.el, editor.buffer, e);
    if (p !== null) tool.negativeClick(p, toolbox.context);
  };
  stage.el.addEventListener("pointerdown", onPress, { capture: true });
  disposer.add(() => stage.el.removeEventListener("pointerdown", onPress, { capture: true }));
  // A right click is a prompt here: no host's context menu (JupyterLab's opens on the document).
  const onMenu = (e: MouseEvent): void => {
    if (toolbox.active instanceof ClickToMaskTool) e.stopPropagation();
  };
  stage.el.addEventListener("contextmenu", onMenu);
  disposer.add(() => stage.el.removeEventListener("contextmenu", onMenu));
}
