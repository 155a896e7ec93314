/**
 * Wires reviewing into a view: `_initial_value` → the starting ids, editor
 * changes → review states, the review controls and the "show changes" layer.
 * States reach `review_states` right after the `value` they follow from (so
 * Python never sees "edited" before the edit), or at once for an accept.
 * Every view of a model computes the same states from the same pixels and
 * writes only when they differ from the model's, so two views never echo.
 */
import { LabelBuffer } from "./core/labelBuffer";
import type { Rect } from "./core/rect";
import { Review, sameStates } from "./core/review";
import type { Editor } from "./editor";
import type { WidgetModel } from "./model";
import { decodeValue, isSageMakerValue } from "./sync/value";
import { ChangesLayer } from "./view/changesLayer";
import { ReviewControls } from "./view/reviewControls";

export class Reviewer {
  readonly controls: ReviewControls;
  readonly changes = new ChangesLayer();
  private review: Review | null = null;
  private buffer: LabelBuffer | null = null;
  private writePending = false;
  private readonly offEditor: Array<() => void>;

  constructor(
    private readonly model: WidgetModel,
    private readonly editor: Editor,
    panel: HTMLElement,
  ) {
    this.controls = new ReviewControls(panel, editor, {
      accept: (color) => {
        this.review?.accept(color);
        this.changed(true);
      },
      reject: (color) => {
        const instance = editor.instances.find((inst) => inst.color === color);
        if (instance !== undefined) editor.deleteInstance(instance.id); // undoable; "instances" re-measures
      },
      acceptAll: () => {
        this.review?.acceptAll();
        this.changed(true);
      },
      toggleChanges: () => this.showChanges(!this.changes.visible),
    });
    // The buffer is current when these fire: tools, undo and deletes change it
    // first; a value from Python or another view is decoded before its instances are set.
    this.offEditor = [editor.on("instances", () => this.measure()), editor.on("committed", () => this.measure())];
    model.on("change:_initial_value", this.onInitial);
    model.on("change:review_states", this.onStates);
    model.on("change:value", this.onValue);
  }

  /** The image is shown and `buffer` holds the drawing. */
  attach(buffer: LabelBuffer): void {
    this.buffer = buffer;
    this.changes.setSize(buffer.width, buffer.height);
    this.onInitial();
  }

  /** The stage rendered `rect` of the overlay: the changes layer follows. */
  rendered(rect: Rect): void {
    if (this.buffer !== null) this.changes.render(this.review, this.buffer, rect);
  }

  showChanges(visible: boolean): void {
    this.changes.show(visible, this.review, this.buffer);
    this.controls.setChangesShown(visible);
  }

  private readonly onInitial = (): void => {
    const buffer = this.buffer;
    if (buffer === null) return;
    const value = this.model.get("_initial_value");
    this.review = null;
    if (isSageMakerValue(value) && value.instances.length > 0) {
      const start = new LabelBuffer(buffer.width, buffer.height);
      try {
        const instances = decodeValue(value, start);
        this.review = new Review(start.data, instances.map((inst) => inst.color));
        this.review.load(this.model.get("review_states") ?? {});
      } catch (err) {
        console.error(`crowdseg: could not load the starting annotation: ${(err as Error).message}`);
      }
    }
    this.measure();
    this.changed(true);
    this.showChanges(this.changes.visible);
  };

  private readonly onStates = (): void => {
    if (this.review === null) return;
    this.review.load(this.model.get("review_states") ?? {});
    this.changed(true);
  };

  /** A value was sent or arrived; by the end of this task the pixels are measured: write then. */
  private readonly onValue = (): void => this.changed(true);

  private measure(): void {
    const { review, buffer } = this;
    if (review !== null && buffer !== null) {
      review.setInstances(this.editor.instances.map((inst) => inst.color));
      review.measure(buffer.data);
    }
    this.changed(false);
  }

  /** Show the states; `write`: also to `review_states`, once the current task is done. */
  private changed(write: boolean): void {
    this.controls.update(this.review);
    if (!write || this.writePending || this.review === null) return;
    this.writePending = true;
    queueMicrotask(() => {
      this.writePending = false;
      this.write();
    });
  }

  private write(): void {
    if (this.review === null || this.buffer === null) return;
    const states = this.review.states();
    if (sameStates(states, this.model.get("review_states") ?? {})) return;
    this.model.set("review_states", states);
    this.model.save_changes();
  }

  dispose(): void {
    for (const off of this.offEditor) off();
    this.model.off("change:_initial_value", this.onInitial);
    this.model.off("change:review_states", this.onStates);
    this.model.off("change:value", this.onValue);
    this.controls.dispose();
  }
}
