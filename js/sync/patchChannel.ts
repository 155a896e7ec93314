import type { StepChange } from "../core/history";
import type { LabelRuns } from "../core/runs";
import type { WidgetModel } from "../model";

/**
 * One committed action as the kernel replays it on its label map: `seq`
 * counts this view's actions since it loaded Python's value `origin`;
 * `changes` are its undo steps' changes in order (runs of ids, an instance
 * removed or restored), as binary buffers (typed arrays in the state: no Base64).
 */
export interface PatchEntry {
  seq: number;
  instances: Array<{ color: string; label: string }>;
  changes: WireChange[];
}

/** Runs as the state carries them: DataViews, the binary form every host's model sends as buffers. */
export interface WireRuns {
  starts: DataView;
  lengths: DataView;
  ids: DataView;
}

export type WireChange = WireRuns | { remove: number } | { restore: number; at: WireRuns };

const view = (a: Uint32Array | Uint16Array): DataView => new DataView(a.buffer, a.byteOffset, a.byteLength);

function wireRuns(runs: LabelRuns): WireRuns {
  return { starts: view(runs.starts), lengths: view(runs.lengths), ids: view(runs.ids) };
}

/** Typed arrays inside the state reach Python as buffers in ipywidgets, but as JSON objects in marimo. */
function toWire(change: StepChange): WireChange {
  if ("starts" in change) return wireRuns(change);
  if ("restore" in change) return { restore: change.restore, at: wireRuns(change.at) };
  return change;
}

/** The `_patches` state key: every action since the last value this view sent, in order. */
export interface PatchMessage {
  view: string;
  /** Python's `_value_origin` of the value the view loaded last: the map the entries start from. */
  origin: number;
  entries: PatchEntry[];
}

/** The `_value_patch` state key sent with each value: it holds this view's actions up to `seq`. */
export interface ValuePatch {
  view: string;
  origin: number;
  seq: number;
}

/** An entry's size in its message: the binary buffers and the instances' JSON. */
function entryBytes(entry: PatchEntry): number {
  let n = 64 + JSON.stringify(entry.instances).length;
  for (const change of entry.changes) {
    const runs = "starts" in change ? change : "at" in change ? change.at : null;
    if (runs !== null) n += runs.starts.byteLength + runs.lengths.byteLength + runs.ids.byteLength + 64;
  }
  return n;
}

/** A view's own name, so the kernel never applies one view's actions on another's numbering. */
function viewName(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * The stroke's changes to the kernel at once, ahead of the PNG value: each
 * committed action becomes an entry of `_patches`, a state key set and saved
 * right away, so it travels in the same ordered channel as `value` and the
 * navigation requests. ipywidgets merges state updates held back behind an
 * unanswered one (a later key replaces an earlier one), so `_patches` always
 * holds every entry since the last value sent: a merged update loses none.
 * Once a value holding an entry is sent, the entry is dropped.
 */
export class PatchChannel {
  readonly view = viewName();
  private seq = 0;
  private origin = 0;
  private pending: PatchEntry[] = [];

  /** The number of the last action recorded (what a value encoded now holds). */
  get last(): number {
    return this.seq;
  }

  /**
   * A committed action: its changes and the instances after it, sent now,
   * unless the entries are over `limit` bytes (noise-like edits): then the
   * kernel's map waits for the value, as it does for any gap.
   */
  record(
    model: WidgetModel,
    changes: readonly StepChange[],
    instances: ReadonlyArray<{ color: string; label: string }>,
    limit: number,
  ): void {
    this.pending.push({
      seq: ++this.seq,
      instances: instances.map((inst) => ({ color: inst.color, label: inst.label })),
      changes: changes.map(toWire),
    });
    if (this.pending.reduce((n, entry) => n + entryBytes(entry), 0) > limit) return;
    const message: PatchMessage = { view: this.view, origin: this.origin, entries: [...this.pending] };
    model.set("_patches", message);
    model.save_changes();
  }

  /** A value holding the actions up to `seq` was sent: those entries need not travel again. */
  valueSent(seq: number): ValuePatch {
    this.pending = this.pending.filter((entry) => entry.seq > seq);
    return { view: this.view, origin: this.origin, seq };
  }

  /** The view loaded Python's value number `origin`: actions count from it again. */
  rebase(origin: number): void {
    this.pending = [];
    this.seq = 0;
    this.origin = origin;
  }

  /** Python replaced the annotation or another image is shown: what was not sent is not for it. */
  cancel(): void {
    this.pending = [];
  }
}
