/**
 * The anywidget entry: wires the model's traits to the editor, the tools and
 * the view. Data flows pointer → tool → label buffer → dirty rect → view,
 * and label buffer → PNG → `value`.
 */
import { LabelBuffer } from "./core/labelBuffer";
import type { Rect } from "./core/rect";
import { Editor, type EditorEvent } from "./editor";
import { handleKey } from "./keyboard";
import { isSageMakerValue, type NavigationAction, type SageMakerValue, type WidgetModel } from "./model";
import { Reviewer } from "./reviewer";
import { decodeValue, MESSAGE_LIMIT, ValueSync, valueLimit } from "./sync/valueSync";
import { createWorkerEncoder } from "./sync/workerEncoder";
import { TOOL_FACTORIES, type Tool, type ToolContext } from "./tools/index";
import { h } from "./view/dom";
import { shortcutHelp } from "./view/help";
import { Instructions } from "./view/instructions";
import { NavigationBar } from "./view/navigation";
import { Panel } from "./view/panel";
import { Stage } from "./view/stage";
import { Toolbar } from "./view/toolbar";

interface LoadedImage {
  image: CanvasImageSource;
  width: number;
  height: number;
  release(): void;
}

function loadImageElement(url: string, crossOrigin: boolean): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    if (crossOrigin) img.crossOrigin = "anonymous";
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`could not load the image from ${url}`));
    img.src = url;
  });
}

/** The image from `_image_data` (bytes; EXIF orientation already applied by Python) or `_image_url`. */
async function loadImage(model: WidgetModel): Promise<LoadedImage> {
  const data = model.get("_image_data");
  if (data !== null && data !== undefined && data.byteLength > 0) {
    const blob = new Blob([data as DataView<ArrayBuffer>], { type: model.get("_image_mime") || "" });
    try {
      const bitmap = await createImageBitmap(blob);
      return { image: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close() };
    } catch {
      // Some formats decode only through <img>.
      const url = URL.createObjectURL(blob);
      const img = await loadImageElement(url, false).finally(() => URL.revokeObjectURL(url));
      return { image: img, width: img.naturalWidth, height: img.naturalHeight, release: () => {} };
    }
  }
  const url = model.get("_image_url");
  if (!url) throw new Error("no image was given");
  // Pixels of the photo are never read back, so a server without CORS headers still works.
  const img = await loadImageElement(url, true).catch(() => loadImageElement(url, false));
  return { image: img, width: img.naturalWidth, height: img.naturalHeight, release: () => {} };
}

/** Keys typed into a form control (a label choice, a slider) are its own. */
function isTextEntry(target: EventTarget | null): boolean {
  return target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type !== "checkbox" && target.type !== "range") || target instanceof HTMLTextAreaElement;
}

function render({ model, el }: { model: WidgetModel; el: HTMLElement }): () => void {
  const editor = new Editor();
  const tools = TOOL_FACTORIES.map((create) => create());
  const activeTool = (): Tool => tools.find((t) => t.name === editor.toolName) ?? tools[0];
  let buffer: LabelBuffer | null = null;
  let image: LoadedImage | null = null;
  let disposed = false;
  let localError = "";
  // The image shown (Python's `_image_serial` when it was loaded); a stroke in progress defers a switch.
  let shownSerial = model.get("_image_serial") ?? 0;
  let stroking = false;
  let switchPending = false;

  // ------------------------------------------------------------ DOM
  const root = h("div", "crowdseg");
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const header = h("div", "crowdseg-header");
  const status = h("div", "crowdseg-status");
  status.setAttribute("role", "status");
  const instructions = new Instructions();
  const help = shortcutHelp();
  const toolbar = new Toolbar(editor, tools, {
    zoomIn: () => stage.zoomBy(2, ...viewportCenter()),
    zoomOut: () => stage.zoomBy(0.5, ...viewportCenter()),
    fit: () => stage.fit(),
    actualSize: () => stage.zoomTo(1, ...viewportCenter()),
    help: () => help.toggle(),
  });
  const viewportCenter = (): [number, number] => [stage.el.clientWidth / 2, stage.el.clientHeight / 2];
  const panel = new Panel(editor);
  const context: ToolContext = {
    get buffer() {
      return buffer!;
    },
    get radius() {
      return editor.radius;
    },
    get preserve() {
      return editor.preserve;
    },
    get hitRadius() {
      return stage.hitRadius;
    },
    instanceId: () => editor.paintId(),
    selectedId: () => editor.selectedId,
    markDirty: (rect) => {
      editor.touch(rect);
      stage.invalidate(rect);
    },
    // One undo step; the "history" event schedules the sync.
    commit: () => editor.commitEdit(),
    requestPreview: () => stage.schedulePreview(),
  };
  const stage = new Stage({
    // Nothing is sent while the pointer is down: a half-painted stroke is not a value.
    // No stroke starts while an image loads.
    down: (p) => {
      if (buffer === null) return;
      stroking = true;
      sync.hold();
      activeTool().pointerDown(p, context);
    },
    move: (p) => {
      if (stroking) activeTool().pointerMove(p, context);
    },
    up: (p) => {
      if (!stroking) return;
      stroking = false;
      activeTool().pointerUp(p, context);
      sync.release();
      if (switchPending) onImageSerial();
    },
    previewRadius: () => activeTool().previewRadius?.(context) ?? null,
    drawPreview: (painter, pointer) => activeTool().drawPreview?.(painter, pointer),
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
  root.append(header, navigation.el, body, status, instructions.dialog.overlay, help.overlay);
  el.append(root);

  let syncError = ""; // this view's own sync trouble; `_sync_error` is what Python was told
  // Every value leaves with the image it was painted on (`_value_image`), so Python can
  // tell a late value of an earlier image; one rescued at an image change goes as `_rescued_value`.
  let rescuing = false;
  const addressed: WidgetModel = {
    get: (key) => model.get(key),
    set: (key, value) => {
      if (key === "value" && rescuing) return model.set("_rescued_value", { image: shownSerial, value: value as SageMakerValue });
      if (key === "value") model.set("_value_image", shownSerial);
      model.set(key, value);
    },
    on: (event, callback) => model.on(event, callback),
    off: (event, callback) => model.off(event, callback),
    save_changes: () => model.save_changes(),
  };
  const sync = new ValueSync(
    addressed,
    () => (buffer === null ? null : { buffer, instances: editor.instances }),
    (message) => {
      syncError = message;
      showStatus();
    },
    currentLimit(),
    createWorkerEncoder(), // null where workers can't run: encode on the main thread
  );

  function showStatus(): void {
    const reported = model.get("_sync_error");
    const text = [localError, syncError === reported ? "" : syncError, reported].filter(Boolean).join(" ");
    status.textContent = text;
    status.hidden = text === "";
  }

  // ------------------------------------------------------------ editor → view
  let applyingPython = false; // instances replaced from `value`: nothing to send back
  let previousTool = editor.toolName;
  const offEditor = editor.on((event: EditorEvent, rect?: Rect | null) => {
    if (event === "labels" || event === "instances") panel.render();
    if (event === "instances" || event === "display") {
      stage.setColors(editor.instances.map((inst) => inst.color), new Set(editor.hidden));
    }
    if (event === "display") {
      stage.setOutline(editor.outline);
      panel.updateDisplay();
      toolbar.update();
    }
    if (event === "pixels") {
      if (rect === null || rect === undefined) stage.invalidateAll();
      else stage.invalidate(rect);
    }
    if (event === "history") {
      panel.updateCounts();
      toolbar.update();
      if (!applyingPython) sync.schedule();
    }
    if (event === "policy") toolbar.update();
    if (event === "tool" && editor.toolName !== previousTool) {
      tools.find((t) => t.name === previousTool)?.cancel?.(context);
      previousTool = editor.toolName;
      stage.schedulePreview();
    }
    // An added instance counts even before it is painted (Python reports an empty mask).
    if (event === "instances" && !applyingPython) sync.schedule();
    if (event === "selection") panel.updateSelection();
    if (event === "tool" || event === "radius" || event === "opacity") toolbar.update();
    if (event === "opacity") stage.setOpacity(editor.opacity);
  });

  // ------------------------------------------------------------ model → view
  function onLabels(): void {
    editor.setLabels(model.get("labels") ?? []);
  }
  function onHeader(): void {
    header.textContent = model.get("header") ?? "";
    header.hidden = header.textContent === "";
  }
  function onInstructions(): void {
    instructions.set(model.get("short_instructions") ?? "", model.get("full_instructions") ?? "");
  }
  /** Python wrote `value`: reload unless it is the echo of our own send. */
  function onValue(): void {
    // A value for another image: it is applied once that image is loaded.
    if ((model.get("_image_serial") ?? 0) !== shownSerial) return onImageSerial();
    if (buffer === null) return; // applied once the image size is known
    const value = model.get("value");
    if (!isSageMakerValue(value)) {
      // {}: Python has no annotation yet; give it the empty one.
      buffer.clear();
      applyingPython = true;
      editor.replaceInstances([]);
      applyingPython = false;
      stage.invalidateAll();
      sync.send();
      return;
    }
    if (sync.isOwn(value)) return;
    sync.cancel();
    try {
      const instances = decodeValue(value, buffer);
      applyingPython = true;
      try {
        editor.replaceInstances(instances);
      } finally {
        applyingPython = false;
      }
      stage.invalidateAll();
      sync.markLoaded(value);
      localError = "";
    } catch (err) {
      localError = `Could not load the annotation: ${(err as Error).message}`;
    }
    showStatus();
  }

  /**
   * Python showed another image (`set_image`): send what this view has not
   * sent yet as the old image's (`_rescued_value`), then load the new one with
   * a fresh buffer and history; `value` and `_initial_value` are applied once it is in.
   */
  function onImageSerial(): void {
    const serial = model.get("_image_serial") ?? 0;
    if (serial === shownSerial) return;
    switchPending = stroking; // the stroke ends on the image it started on
    if (stroking) return;
    // What the old image has not sent yet goes now, addressed to it; then nothing of it may follow.
    rescuing = true;
    try {
      sync.flush();
    } finally {
      rescuing = false;
    }
    sync.cancel();
    shownSerial = serial;
    for (const tool of tools) tool.cancel?.(context);
    buffer = null;
    loading.textContent = "Loading image…";
    loading.hidden = false;
    showImage();
  }

  /** The view asks Python to move (dataset sessions); false when there is no session. */
  function navigate(action: NavigationAction): boolean {
    if (!navigation.active) return false;
    if (buffer === null || stroking) return true; // loading, or mid-stroke: not now
    sync.flush(); // the last stroke goes first, in the same ordered state channel
    const previous = model.get("_navigation_request");
    model.set("_navigation_request", { action, image: shownSerial, id: (previous?.id ?? 0) + 1 });
    model.save_changes();
    return true;
  }

  function onNavigation(): void {
    navigation.update(model.get("_navigation"));
  }

  function currentLimit(): number {
    const limit = model.get("message_limit");
    return typeof limit === "number" && limit > 0 ? valueLimit(limit) : MESSAGE_LIMIT;
  }

  function onMessageLimit(): void {
    sync.limit = currentLimit();
    if (model.get("_sync_error") !== "") sync.schedule(); // a value held back may fit now
  }

  function onUsedColors(): void {
    editor.markColorsUsed(model.get("_used_colors") ?? []);
  }

  const modelListeners: Array<[string, () => void]> = [
    ["change:labels", onLabels],
    ["change:header", onHeader],
    ["change:short_instructions", onInstructions],
    ["change:full_instructions", onInstructions],
    ["change:value", onValue],
    ["change:_sync_error", showStatus],
    ["change:message_limit", onMessageLimit],
    ["change:_used_colors", onUsedColors],
    ["change:_image_serial", onImageSerial],
    ["change:_navigation", onNavigation],
  ];
  for (const [event, handler] of modelListeners) model.on(event, handler);

  function onKeyDown(e: KeyboardEvent): void {
    let handled = false;
    if (e.key === "Escape" && instructions.dialog.isOpen) {
      instructions.dialog.hide();
      handled = true;
    } else if (help.isOpen && (e.key === "Escape" || e.key === "?")) {
      help.hide();
      handled = true;
    } else if (buffer !== null && !isTextEntry(e.target)) {
      handled = handleKey(e, {
        editor,
        tools,
        activeTool,
        context,
        zoomBy: (factor) => stage.zoomBy(factor),
        fit: () => stage.fit(),
        actualSize: () => stage.zoomTo(1),
        toggleHelp: () => help.toggle(),
        navigate,
      });
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }
  root.addEventListener("keydown", onKeyDown);

  onHeader();
  onInstructions();
  onUsedColors();
  onLabels();
  onNavigation();
  stage.setOpacity(editor.opacity);
  toolbar.update();
  showStatus();

  let loads = 0; // only the newest image load may show
  function showImage(): void {
    const load = ++loads;
    loadImage(model)
      .then((loaded) => {
        if (disposed || load !== loads) return loaded.release();
        image?.release();
        image = loaded;
        let width = model.get("image_width");
        let height = model.get("image_height");
        if (!width || !height) {
          // A URL src: only the browser learns the size.
          width = loaded.width;
          height = loaded.height;
          model.set("image_width", width);
          model.set("image_height", height);
          model.save_changes();
        }
        buffer = new LabelBuffer(width, height);
        editor.attach(buffer);
        if (load > 1) {
          editor.startImage();
          onUsedColors();
        }
        stage.setImage(loaded.image, buffer);
        stage.setColors(editor.instances.map((inst) => inst.color));
        loading.hidden = true;
        localError = "";
        reviewer.attach(buffer);
        onValue();
      })
      .catch((err: Error) => {
        if (disposed || load !== loads) return;
        loading.textContent = "";
        localError = `Could not show the image: ${err.message}`;
        showStatus();
      });
  }
  showImage();

  return () => {
    disposed = true;
    sync.dispose();
    reviewer.dispose();
    stage.dispose();
    offEditor();
    for (const [event, handler] of modelListeners) model.off(event, handler);
    root.removeEventListener("keydown", onKeyDown);
    image?.release();
    root.remove();
  };
}

export default { render };
