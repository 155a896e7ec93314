import { base64ToBytes, bytesToBase64 } from "./core/base64";
import type { LabelBuffer } from "./core/labelBuffer";
import { decodeLabelPng, encodeLabelPng } from "./core/png";
import type { Instance } from "./editor";
import type { SageMakerValue, WidgetModel } from "./model";

/** Jupyter server's default websocket message limit, less room for the message envelope. */
export const MESSAGE_LIMIT = 10 * 1024 * 1024 - 64 * 1024;
const DEBOUNCE_MS = 100;

export interface Drawing {
  buffer: LabelBuffer;
  instances: readonly Instance[];
}

/**
 * Sends the drawing to Python as the SageMaker value at the end of each
 * edit (debounced, never per pointermove), and tells Python's own `value`
 * writes from echoes of ours by the PNG string.
 */
export class ValueSync {
  /** `valueKey` of the last value this view sent or loaded. */
  private lastSent: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly model: WidgetModel,
    private readonly drawing: () => Drawing | null,
    private readonly showError: (message: string) => void,
    private readonly limit = MESSAGE_LIMIT,
  ) {}

  private held = false;
  private pendingWhileHeld = false;

  /** An edit is complete: send soon, once, even if several edits follow quickly. */
  schedule(): void {
    if (this.held) {
      this.pendingWhileHeld = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  /** A stroke started: defer every send (including one already pending) until `release`. */
  hold(): void {
    this.held = true;
    if (this.timer !== null) {
      this.cancel();
      this.pendingWhileHeld = true;
    }
  }

  release(): void {
    this.held = false;
    if (this.pendingWhileHeld) {
      this.pendingWhileHeld = false;
      this.schedule();
    }
  }

  /** Drop a pending send (Python just replaced the annotation). */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Send now if a send is pending. */
  flush(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.send();
  }

  send(): void {
    const drawing = this.drawing();
    if (drawing === null) return;
    const { buffer, instances } = drawing;
    let png: string;
    try {
      png = bytesToBase64(encodeLabelPng(buffer.data, buffer.width, buffer.height, instances.map((inst) => inst.color)));
    } catch (err) {
      // E.g. Python removed instances in the middle of a stroke; say so rather than throw in a timer.
      this.showError(`The annotation could not be encoded: ${(err as Error).message}`);
      return;
    }
    const value: SageMakerValue = {
      inputImageProperties: { height: buffer.height, width: buffer.width },
      instances: instances.map((inst) => ({ color: inst.color, label: inst.label })),
      labeledImage: { pngImageData: png },
    };
    const size = JSON.stringify(value).length;
    if (size > this.limit) {
      const message =
        `The annotation (${(size / 2 ** 20).toFixed(1)} MiB) is over Jupyter's 10 MiB message limit ` +
        "and was not sent to Python; simplify the masks or raise the server's websocket_max_message_size.";
      this.model.set("_sync_error", message);
      this.model.save_changes();
      this.showError(message);
      return;
    }
    this.lastSent = valueKey(value);
    this.model.set("value", value);
    if (this.model.get("_sync_error") !== "") this.model.set("_sync_error", "");
    this.model.save_changes();
    this.showError("");
  }

  /** Is `value` one this view sent (an echo), rather than a new annotation from Python? */
  isOwn(value: SageMakerValue): boolean {
    return valueKey(value) === this.lastSent;
  }

  /** Remember a value that is already in the model, so it is not reloaded again. */
  markLoaded(value: SageMakerValue): void {
    this.lastSent = valueKey(value);
  }

  dispose(): void {
    this.release();
    this.flush(); // don't lose the last stroke when the view closes
  }
}

/** The PNG and the instances: a relabel from Python keeps the PNG but is not an echo. */
function valueKey(value: SageMakerValue): string {
  const instances = value.instances.map((inst) => [String(inst.label), String(inst.color).toLowerCase()]);
  return `${JSON.stringify(instances)}\n${value.labeledImage.pngImageData}`;
}

/** Load a SageMaker value into `buffer`; returns its instances. Throws with a clear message. */
export function decodeValue(value: SageMakerValue, buffer: LabelBuffer): Array<{ label: string; color: string }> {
  const instances = value.instances.map((inst) => ({ label: String(inst.label), color: String(inst.color).toLowerCase() }));
  const decoded = decodeLabelPng(
    base64ToBytes(value.labeledImage.pngImageData),
    instances.map((inst) => inst.color),
  );
  if (decoded.width !== buffer.width || decoded.height !== buffer.height) {
    throw new Error(
      `the annotation PNG is ${decoded.width}x${decoded.height} but the image is ${buffer.width}x${buffer.height}`,
    );
  }
  buffer.assign(decoded.ids);
  return instances;
}
