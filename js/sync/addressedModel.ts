import type { WidgetModel } from "../model";
import type { PatchMessage } from "./patchChannel";
import type { SageMakerValue } from "./value";

/**
 * The model as the value sync writes it. Every `value` leaves with the image
 * it was painted on (`_value_image`), and so do the patches (`_patches`), so
 * Python can tell a late value of an earlier image; one rescued at an image change goes as `_rescued_value`,
 * addressed to its image. It remembers the exact value object it wrote, so
 * the view knows its own write when the model announces it: by origin, not
 * by comparing contents.
 */
export class AddressedModel implements WidgetModel {
  private rescuing = false;
  private written: SageMakerValue | null = null;

  constructor(
    private readonly model: WidgetModel,
    /** Python's `_image_serial` of the image shown. */
    public image: number,
  ) {}

  get: WidgetModel["get"] = (key) => this.model.get(key);

  set: WidgetModel["set"] = (key, value) => {
    if (key === "_patches") return this.model.set("_patches", { ...(value as PatchMessage), image: this.image });
    if (key === "_value_patch" && this.rescuing) return; // a rescued value is not the current image's
    if (key !== "value") return this.model.set(key, value);
    const sent = value as SageMakerValue;
    if (this.rescuing) return this.model.set("_rescued_value", { image: this.image, value: sent });
    this.written = sent;
    this.model.set("_value_image", this.image);
    this.model.set("value", sent);
  };

  on(event: string, callback: () => void): void {
    this.model.on(event, callback);
  }

  off(event: string, callback: () => void): void {
    this.model.off(event, callback);
  }

  save_changes(): void {
    this.model.save_changes();
  }

  /** What `send` writes as `value` goes to `_rescued_value`, for this (the old) image. */
  rescue(send: () => void): void {
    this.rescuing = true;
    try {
      send();
    } finally {
      this.rescuing = false;
    }
  }

  /** Is `value` the very object written here (this view's own change event)? */
  isOwn(value: unknown): boolean {
    return value !== null && value === this.written;
  }

  /** Another image is shown: nothing written before is this view's any more. */
  moveTo(image: number): void {
    this.image = image;
    this.written = null;
  }
}
