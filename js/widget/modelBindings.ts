import type { Editor } from "../editor";
import type { WidgetModel } from "../model";
import type { Disposer } from "./disposer";
import type { ImageSession } from "./imageSession";
import type { Layout } from "./layout";

/** Model → view: one listener per trait, all removed by `disposer`; the traits shown at once are shown now. */
export function bindModel(model: WidgetModel, editor: Editor, session: ImageSession, layout: Layout, disposer: Disposer): void {
  const { header, instructions, navigation, status } = layout;
  const showLabels = (): void => editor.setLabels(model.get("labels") ?? []);
  const showHeader = (): void => {
    header.textContent = model.get("header") ?? "";
    header.hidden = header.textContent === "";
  };
  const showInstructions = (): void =>
    instructions.set(model.get("short_instructions") ?? "", model.get("full_instructions") ?? "");
  const markColorsUsed = (): void => editor.markColorsUsed(model.get("_used_colors") ?? []);
  const showNavigation = (): void => navigation.update(model.get("_navigation"));
  const listeners: Array<[string, () => void]> = [
    ["change:labels", showLabels],
    ["change:header", showHeader],
    ["change:short_instructions", showInstructions],
    ["change:full_instructions", showInstructions],
    ["change:value", () => session.applyValue()],
    ["change:_sync_error", () => status.show()],
    ["change:message_limit", () => session.limitChanged()],
    ["change:_used_colors", markColorsUsed],
    ["change:_image_serial", () => session.imageChanged()],
    ["change:_prefetch", () => session.prefetchChanged()],
    ["change:_navigation", showNavigation],
  ];
  for (const [event, listener] of listeners) disposer.on(model, event, listener);
  showHeader();
  showInstructions();
  markColorsUsed();
  showLabels();
  showNavigation();
  status.show();
}
