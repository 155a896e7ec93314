import { LabelBuffer } from "../core/labelBuffer";
import { mark, measureSince } from "../core/userTiming";
import type { Editor } from "../editor";
import type { NavigationAction, WidgetModel } from "../model";
import { AddressedModel } from "../sync/addressedModel";
import { decodeValue, isSageMakerValue } from "../sync/value";
import { MESSAGE_LIMIT, ValueSync, valueLimit } from "../sync/valueSync";
import { createWorkerEncoder } from "../sync/workerEncoder";
import type { Toolbox } from "../tools/toolbox";
import type { Layout } from "./layout";
import { loadImage, type LoadedImage } from "./loadImage";
import { ImagePrefetch } from "./prefetch";

/** The value JSON limit under Python's `message_limit` (the server's websocket limit). */
function valueLimitOf(model: WidgetModel): number {
  const limit = model.get("message_limit");
  return typeof limit === "number" && limit > 0 ? valueLimit(limit) : MESSAGE_LIMIT;
}

/**
 * Which image this view shows and the annotation on it: loads the image
 * (the newest load wins), applies Python's `value`, switches when
 * `_image_serial` moves (after a stroke in progress ends, on the image it
 * began on), and owns the value sync, whose values go out addressed to
 * their image: what this view had not sent when the image changed is
 * rescued to the old one.
 */
export class ImageSession {
  readonly sync: ValueSync;
  /** The model as the sync writes it; `addressed.image` is the image shown (or loading). */
  private readonly addressed: AddressedModel;
  private switchPending = false;
  private readonly prefetch = new ImagePrefetch();
  private image: LoadedImage | null = null;
  /** The buffer `shown` made, until `applyValue` (right after it) has loaded the value into it. */
  private freshBuffer: LabelBuffer | null = null;
  private loads = 0;
  private disposed = false;

  constructor(
    private readonly model: WidgetModel,
    private readonly editor: Editor,
    private readonly toolbox: Toolbox,
    private readonly layout: Layout,
  ) {
    this.addressed = new AddressedModel(model, model.get("_image_serial") ?? 0);
    this.sync = new ValueSync(
      this.addressed,
      () => editor.committedDrawing(),
      (message) => layout.status.setSync(message),
      valueLimitOf(model),
      createWorkerEncoder(), // null where workers can't run: encode on the main thread
      undefined,
      () => editor.takeChanges(),
    );
  }

  /** Load the first image. */
  start(): void {
    this.prefetchChanged();
    this.showImage();
  }

  /** `_prefetch` changed: the image likely shown next, decoded ahead (widget/prefetch.ts). */
  prefetchChanged(): void {
    this.prefetch.offer(this.model.get("_prefetch"), this.model.get("_image_key") ?? "");
  }

  /** `value` changed (or the image is in): load Python's annotation, unless it is this view's own write. */
  applyValue(): void {
    // A value for another image: it is applied once that image is loaded.
    if ((this.model.get("_image_serial") ?? 0) !== this.addressed.image) return this.imageChanged();
    const { editor, layout, sync } = this;
    const buffer = editor.buffer;
    const fresh = buffer !== null && buffer === this.freshBuffer; // all background: nothing painted yet
    this.freshBuffer = null;
    if (buffer === null) return; // applied once the image size is known
    const value = this.model.get("value");
    if (!isSageMakerValue(value)) {
      // {}: Python has no annotation yet; give it the empty one.
      if (!fresh) buffer.clear(); // a fresh buffer is all background already
      editor.replaceInstances([]);
      layout.stage.invalidateAll();
      sync.rebase(this.model.get("_value_origin") ?? 0);
      sync.send();
      return;
    }
    if (this.addressed.isOwn(value)) return;
    sync.cancel();
    try {
      if (value.instances.length === 0) {
        // No instances: every pixel is background (checked by Python), nothing to decode.
        if (!fresh) buffer.clear();
        editor.replaceInstances([]);
      } else {
        editor.replaceInstances(decodeValue(value, buffer));
      }
      sync.rebase(this.model.get("_value_origin") ?? 0);
      layout.stage.invalidateAll();
      sync.prime();
      layout.status.setLocal("");
    } catch (err) {
      layout.status.setLocal(`Could not load the annotation: ${(err as Error).message}`);
    }
  }

  /**
   * Python showed another image (`set_image`): send what this view has not
   * sent yet as the old image's, then load the new one with a fresh buffer
   * and history; `value` is applied once it is in.
   */
  imageChanged(): void {
    const serial = this.model.get("_image_serial") ?? 0;
    if (serial === this.addressed.image) return;
    this.switchPending = this.editor.stroking; // the stroke ends on the image it started on
    if (this.switchPending) return;
    mark("crowdseg-image-change"); // when the switch begins (bench/bench_next_image.py)
    this.addressed.rescue(() => this.sync.flush());
    this.sync.cancel(); // nothing of the old image may follow
    this.addressed.moveTo(serial);
    this.toolbox.cancelAll();
    this.editor.detach(); // no stroke starts and no key edits while the new image loads
    this.layout.loading.textContent = "Loading image…";
    this.layout.loading.hidden = false;
    this.showImage();
  }

  /** A stroke ended: a switch it held back happens now. */
  strokeEnded(): void {
    if (this.switchPending) this.imageChanged();
  }

  /** The view asks Python to move (dataset sessions); false when there is no session. */
  navigate(action: NavigationAction): boolean {
    if (!this.layout.navigation.active) return false;
    if (this.editor.buffer === null || this.editor.stroking) return true; // loading, or mid-stroke: not now
    this.sync.flush(); // the last stroke goes first, in the same ordered state channel
    const previous = this.model.get("_navigation_request");
    this.model.set("_navigation_request", { action, image: this.addressed.image, id: (previous?.id ?? 0) + 1 });
    this.model.save_changes();
    return true;
  }

  /** `message_limit` changed: a value held back may fit now. */
  limitChanged(): void {
    this.sync.limit = valueLimitOf(this.model);
    if (this.model.get("_sync_error") !== "") this.sync.schedule();
  }

  private showImage(): void {
    const load = ++this.loads; // only the newest load may show
    const started = performance.now();
    this.prefetch.pause();
    loadImage(this.model, this.prefetch.take(this.model.get("_image_key"))).then(
      (loaded) => {
        if (this.disposed || load !== this.loads) return loaded.release();
        measureSince("crowdseg-image-load", started); // the new serial seen → its image decoded
        this.shown(loaded, load);
      },
      (err: Error) => {
        if (this.disposed || load !== this.loads) return;
        this.layout.loading.textContent = "";
        this.layout.status.setLocal(`Could not show the image: ${err.message}`);
        this.prefetch.resume();
      },
    );
  }

  private shown(loaded: LoadedImage, load: number): void {
    const started = performance.now();
    const { model, editor, layout } = this;
    this.image?.release();
    this.image = loaded;
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
    const buffer = new LabelBuffer(width, height);
    this.freshBuffer = buffer;
    editor.attach(buffer);
    if (load > 1) {
      editor.startImage();
      editor.markColorsUsed(model.get("_used_colors") ?? []);
    }
    layout.stage.setImage(loaded.image, buffer);
    layout.stage.setColors(editor.instances.map((inst) => inst.color));
    layout.loading.hidden = true;
    layout.status.setLocal("");
    layout.reviewer.attach(buffer);
    this.applyValue();
    measureSince("crowdseg-image-apply", started); // buffer, stage, reviewer, value: paintable
    this.prefetch.resume();
  }

  /** The view closes: a stroke in progress is kept, and the last edit is sent at once. */
  dispose(): void {
    this.disposed = true;
    if (this.editor.stroking) {
      this.editor.endStroke();
      this.sync.schedule();
    }
    this.sync.dispose();
    this.image?.release();
    this.prefetch.dispose();
  }
}
