import { bytesToBase64 } from "../core/base64";
import type { StepChange } from "../core/history";
import type { LabelBuffer } from "../core/labelBuffer";
import { IncrementalPngEncoder } from "../core/incrementalPng";
import { measureSince } from "../core/userTiming";
import type { WidgetModel } from "../model";
import { EncoderUnavailable, type PngEncoder } from "./encoder";
import { PatchChannel } from "./patchChannel";
import { toValue, type EncodedDrawing } from "./value";

/** Jupyter server's default websocket message limit (`message_limit` in Python). */
export const SERVER_MESSAGE_LIMIT = 10 * 1024 * 1024;
/** Room kept for the message envelope around the value. */
const ENVELOPE_BYTES = 64 * 1024;
/** The largest value JSON sent under a server limit of `serverLimit` bytes. */
export function valueLimit(serverLimit: number): number {
  return serverLimit - ENVELOPE_BYTES;
}
export const MESSAGE_LIMIT = valueLimit(SERVER_MESSAGE_LIMIT);
/**
 * Images up to this size (0.26 MP) encode on the main thread, incrementally:
 * a few ms at most. Larger ones go to the worker: the kernel's label map
 * follows the patch, not the PNG, so the value may come later, and an outline
 * across a 1 MP image re-deflates almost every strip (15-40 ms, a long task
 * on the main thread; a copy into the worker's array is under 1 ms there).
 */
export const MAIN_THREAD_PIXELS = 2 ** 18;

/** The annotation to send: the ids of every pixel and the instances in id order (id i = `instances[i - 1]`). */
export interface Drawing {
  buffer: LabelBuffer;
  instances: ReadonlyArray<{ color: string; label: string }>;
}

/**
 * Sends the drawing to Python as the SageMaker value after each committed
 * edit (the editor's "committed" event: never per pointermove). The model it
 * is given addresses each value to its image (`AddressedModel`).
 *
 * `drawing` gives the committed drawing (the editor's, as of its last
 * "committed"), so an encode that starts while a stroke is in progress still
 * sends only whole strokes: a half-painted stroke is never a value.
 *
 * An edit starts its encode soon, in a task of its own (after the code that
 * made the edit, so the events of one action make one send; and after the
 * event's task, which has sent the action's patch: the kernel's label map
 * does not wait for the PNG, so the encode stays off the event's task). With an `encoder` (a Web Worker) at most one
 * encode is in flight: edits made meanwhile start one more encode when it
 * returns, so a burst of edits costs two encodes, not one each, and no debounce
 * delays the first. Images up to `mainThreadPixels` skip the worker: their
 * strips are re-deflated on the main thread (a few ms at most at that size).
 * Only the newest
 * encode may become `value`: `cancel` and a synchronous `send` supersede an
 * encode in flight, whose result is then dropped. If the encoder fails, this
 * and every later send encode on the main thread, as does the flush on `dispose`.
 */
export class ValueSync {
  /** A start is queued as a zero-delay task; `queue` tells a cancelled one from the current one. */
  private queued = false;
  private queue = 0;
  /** Bumped by every send started and by `cancel`: an encode of an older generation is dropped. */
  private generation = 0;
  /** An encode of the current generation is in the encoder. */
  private encoding = false;
  /** An edit came while encoding: encode again when that encode returns. */
  private dirty = false;

  constructor(
    private readonly model: WidgetModel,
    private readonly drawing: () => Drawing | null,
    private readonly showError: (message: string) => void,
    /** The largest value JSON sent; the view follows Python's `message_limit`. */
    public limit = MESSAGE_LIMIT,
    private encoder: PngEncoder | null = null,
    private readonly mainThreadPixels = MAIN_THREAD_PIXELS,
    /** What the committed steps changed since the last call (`EditHistory.takeChanges`). */
    private readonly changes: () => StepChange[] = () => [],
  ) {}

  /** The kernel's label map follows each action at once, ahead of the value. */
  readonly patches = new PatchChannel();

  /** The editor's "committed": the action's changes go to the kernel now, its value soon. */
  committed(): void {
    const drawing = this.drawing();
    if (drawing !== null) {
      const started = performance.now();
      this.patches.record(this.model, this.changes(), drawing.instances, this.limit);
      markMainThread(started);
    }
    this.schedule();
  }

  /** The view loaded Python's value number `origin` (or its empty start): actions count from there. */
  rebase(origin: number): void {
    this.changes(); // already in the loaded value
    this.patches.rebase(origin);
  }

  /** The main thread's own incremental encoder, and the array its last encode handed back. */
  private here = new IncrementalPngEncoder();
  private hereSpare: Uint16Array | null = null;

  /** An edit is committed: send it soon, once per burst of edits. */
  schedule(): void {
    if (this.encoding) {
      this.dirty = true;
      return;
    }
    if (this.queued) return;
    this.queued = true;
    const queue = ++this.queue;
    // A task of its own, not a microtask: the event that ended the action returns first (its
    // patch already sent), and the value's encode never lengthens that event's task.
    setTimeout(() => {
      if (!this.queued || queue !== this.queue) return; // cancelled or flushed meanwhile
      this.queued = false;
      this.start();
    }, 0);
  }

  /** Drop a pending send and an encode in flight (Python replaced the annotation, or another image is shown). */
  cancel(): void {
    this.unqueue();
    this.supersede();
    this.patches.cancel();
  }

  /** Send now, on the main thread, if a send is pending or an encode is in flight. */
  flush(): void {
    if (!this.queued && !this.encoding && !this.dirty) return;
    this.unqueue();
    this.send();
  }

  /** Encode and send now, on the main thread (superseding any encode in flight). */
  send(): void {
    this.supersede();
    const drawing = this.drawing();
    if (drawing === null) return;
    const { buffer, instances } = drawing;
    const seq = this.patches.last;
    let png: string;
    try {
      png = this.encodeHere(buffer, instances.map((inst) => inst.color));
    } catch (err) {
      this.encodeFailed(err as Error);
      return;
    }
    this.publish({ width: buffer.width, height: buffer.height, instances: snapshot(instances), png }, seq);
    if (!this.small(buffer)) this.prime(); // the worker, for the next stroke (the main thread has it already)
  }

  /** Encode on the main thread, re-deflating only the strips changed since its last encode. */
  private encodeHere(buffer: LabelBuffer, colors: string[]): string {
    const spare = this.hereSpare;
    this.hereSpare = null;
    const copy = spare !== null && spare.length === buffer.data.length ? spare : new Uint16Array(buffer.data.length);
    copy.set(buffer.data);
    try {
      const { png, spare: next } = this.here.encode(copy, buffer.width, buffer.height, colors);
      this.hereSpare = next;
      return bytesToBase64(png);
    } catch (err) {
      this.here = new IncrementalPngEncoder(); // start afresh next time
      throw err;
    }
  }

  private small(buffer: LabelBuffer): boolean {
    return buffer.width * buffer.height <= this.mainThreadPixels;
  }

  /** The scheduled send: in the encoder if there is one and the image is large, else at once. */
  private start(): void {
    const encoder = this.encoder;
    const drawing = this.drawing();
    if (encoder === null || drawing === null || this.small(drawing.buffer)) return this.send();
    this.supersede();
    const { buffer, instances } = drawing;
    const { width, height } = buffer;
    const generation = this.generation;
    const taken = snapshot(instances);
    const seq = this.patches.last;
    this.encoding = true;
    // The encoder copies the buffer during this call: painting may go on in it.
    const handedOver = performance.now();
    const encoding = encoder.encode(buffer.data, width, height, taken.map((inst) => inst.color));
    markMainThread(handedOver);
    encoding.then(
      (png) => {
        if (generation !== this.generation) return; // superseded
        this.encoding = false;
        this.publish({ width, height, instances: taken, png }, seq);
        this.again();
      },
      (err: Error) => {
        if (generation !== this.generation) return;
        this.encoding = false;
        if (!(err instanceof EncoderUnavailable)) {
          this.encodeFailed(err);
          return this.again();
        }
        // The worker cannot run here (e.g. a Content Security Policy): encode on the main thread from now on.
        this.encoder = null;
        encoder.dispose();
        this.dirty = false;
        this.send();
      },
    );
  }

  /** Edits came during the encode that just returned: encode once more. */
  private again(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.schedule();
  }

  private unqueue(): void {
    this.queued = false;
  }

  private supersede(): void {
    this.generation++;
    this.encoding = false;
    this.dirty = false;
  }

  private encodeFailed(err: Error): void {
    // E.g. Python removed instances in the middle of a stroke; say so rather than throw in a microtask.
    this.showError(`The annotation could not be encoded: ${err.message}`);
  }

  /** `seq`: the last action the encoded drawing holds. */
  private publish(encoded: EncodedDrawing, seq: number): void {
    const started = performance.now();
    const value = toValue(encoded);
    const { png } = encoded;
    // Base64 needs no JSON escapes: the PNG's length counts as is (no 10 MB stringify on the main thread).
    const size = png.length + JSON.stringify({ ...value, labeledImage: { pngImageData: "" } }).length;
    if (size > this.limit) {
      const message =
        `The annotation (${(size / 2 ** 20).toFixed(1)} MiB) is over the ` +
        `${((this.limit + ENVELOPE_BYTES) / 2 ** 20).toFixed(1)} MiB message limit and was not sent to Python; ` +
        "it stays in this view, and the next edit that makes it fit sends it (or raise the limit: see message_limit).";
      this.model.set("_sync_error", message);
      this.model.save_changes();
      this.showError(message);
      return;
    }
    this.model.set("value", value);
    this.model.set("_value_patch", this.patches.valueSent(seq));
    if (this.model.get("_sync_error") !== "") this.model.set("_sync_error", "");
    this.model.save_changes();
    this.showError("");
    markMainThread(started);
  }

  /**
   * Python's annotation was loaded: hand the encoder the whole drawing now,
   * while nothing waits for it, so the first stroke's encode carries only the
   * strips it changed. The result is not sent: it is the value Python already has.
   */
  prime(): void {
    const drawing = this.drawing();
    if (drawing === null) return;
    const { buffer, instances } = drawing;
    if (this.small(buffer)) {
      try {
        this.encodeHere(buffer, instances.map((inst) => inst.color));
      } catch {
        // a failing encode shows itself on the next real send
      }
      return;
    }
    if (this.encoder === null || this.encoding) return;
    this.encoder
      .encode(buffer.data, buffer.width, buffer.height, instances.map((inst) => inst.color))
      .catch(() => {}); // a failing encoder shows itself on the next real send
  }

  dispose(): void {
    const encoder = this.encoder;
    this.encoder = null; // nothing more for it, not even `prime`
    this.flush(); // don't lose the last stroke when the view closes (on the main thread: no waiting)
    encoder?.dispose();
  }
}

/** A User Timing entry ("crowdseg-sync") for the sync's main-thread work since `start`. */
function markMainThread(start: number): void {
  measureSince("crowdseg-sync", start);
}

function snapshot(instances: Drawing["instances"]): Array<{ color: string; label: string }> {
  return instances.map((inst) => ({ color: inst.color, label: inst.label }));
}
