import type { Editor } from "../editor";
import type { NavigationAction, WidgetModel } from "../model";
import { Reviewer } from "../reviewer";
import type { Toolbox } from "../tools/toolbox";
import type { Dialog } from "../view/dialog";
import { h } from "../view/dom";
import { shortcutHelp } from "../view/help";
import { Instructions } from "../view/instructions";
import { NavigationBar } from "../view/navigation";
import { Panel } from "../view/panel";
import { Stage } from "../view/stage";
import { Toolbar } from "../view/toolbar";
import { StatusLine } from "./statusLine";

/** The widget's parts on the page (the DOM hooks are in docs/architecture.md). */
export interface Layout {
  readonly root: HTMLElement;
  readonly header: HTMLElement;
  readonly loading: HTMLElement;
  readonly status: StatusLine;
  readonly instructions: Instructions;
  readonly help: Dialog;
  readonly toolbar: Toolbar;
  readonly stage: Stage;
  readonly panel: Panel;
  readonly reviewer: Reviewer;
  readonly navigation: NavigationBar;
}

/**
 * Build the widget's DOM: header, dataset bar, instructions | tool bar and
 * stage | review bar and labels, status line, the two overlays. The stage
 * sends pointer input to the toolbox; nothing here reacts to the model.
 */
export function buildLayout(
  model: WidgetModel,
  editor: Editor,
  toolbox: Toolbox,
  navigate: (action: NavigationAction) => boolean,
): Layout {
  const root = h("div", "crowdseg");
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const header = h("div", "crowdseg-header");
  const status = new StatusLine(model);
  const instructions = new Instructions();
  const help = shortcutHelp();
  const viewportCenter = (): [number, number] => [stage.el.clientWidth / 2, stage.el.clientHeight / 2];
  const toolbar = new Toolbar(editor, toolbox.tools, {
    zoomIn: () => stage.zoomBy(2, ...viewportCenter()),
    zoomOut: () => stage.zoomBy(0.5, ...viewportCenter()),
    fit: () => stage.fit(),
    actualSize: () => stage.zoomTo(1, ...viewportCenter()),
    help: () => help.toggle(),
  });
  const panel = new Panel(editor);
  const stage = new Stage({
    down: (p) => toolbox.down(p),
    move: (p) => toolbox.move(p),
    up: (p) => toolbox.up(p),
    previewRadius: () => toolbox.previewRadius(),
    drawPreview: (painter, pointer) => toolbox.drawPreview(painter, pointer),
    viewChanged: () => toolbar.setZoom(stage.zoom),
  });
  const reviewer = new Reviewer(model, editor, panel.el);
  stage.addLayer(reviewer.changes.canvas);
  stage.onRender = (rect) => reviewer.rendered(rect);
  const navigation = new NavigationBar(navigate);
  const loading = h("div", "crowdseg-loading", "Loading image…");
  const main = h("div", "crowdseg-main");
  main.append(toolbar.el, loading, stage.el);
  const side = h("div", "crowdseg-side");
  side.append(reviewer.controls.el, h("div", "crowdseg-side-title", "Labels"), panel.el);
  const body = h("div", "crowdseg-body");
  body.append(instructions.el, main, side);
  root.append(header, navigation.el, body, status.el, instructions.dialog.overlay, help.overlay);
  return { root, header, loading, status, instructions, help, toolbar, stage, panel, reviewer, navigation };
}
