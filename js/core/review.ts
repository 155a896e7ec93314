/**
 * Reviewing a starting annotation (a model's predictions): the state of each
 * starting instance and the pixels changed since the start. No DOM, so node
 * tests it. Instances are matched by color: ids shift when one is deleted,
 * colors never change and are never reused (docs/architecture.md).
 */
import type { Rect } from "./rect";

export type ReviewState = "unreviewed" | "accepted" | "rejected" | "edited";
/** The `review_states` trait: a state per starting instance, keyed by color; absent = unreviewed. */
export type ReviewStates = Record<string, Exclude<ReviewState, "unreviewed">>;

/** What happened to one pixel since the start. */
export const Change = {
  None: 0,
  /** Was background, now an instance. */
  Added: 1,
  /** Was an instance, now background (or its instance was deleted). */
  Removed: 2,
  /** Went from one instance to another. */
  Moved: 3,
} as const;

/** Overlay colors of the changes view, RGBA as one little-endian word (index = `Change`). */
export const CHANGE_COLORS = new Uint32Array([
  0x00000000,
  0xff3cc800, // green   #00c83c
  0xffe600e6, // magenta #e600e6
  0xff00b4ff, // amber   #ffb400
]);

export class Review {
  /** Starting instance colors, lowercase; starting id i is colors[i - 1]. */
  readonly colors: readonly string[];
  /** Starting id → current id; 0 for background, -1 once the instance is gone. */
  private startToCurrent: Int32Array;
  /** Current id → starting id; 0 for background and new instances. */
  private currentToStart = new Int32Array(1);
  private readonly present = new Set<string>();
  /** Starting instances whose pixels differ from the start (as of the last `measure`). */
  private readonly changed = new Set<string>();
  private readonly accepted = new Set<string>();

  /**
   * @param start the starting ids, one per pixel, in the starting annotation's own numbering
   * @param colors the starting instances' colors (id i = colors[i - 1])
   */
  constructor(
    readonly start: Uint16Array,
    colors: readonly string[],
  ) {
    this.colors = colors.map((c) => c.toLowerCase());
    this.startToCurrent = new Int32Array(this.colors.length + 1).fill(-1);
    this.startToCurrent[0] = 0;
  }

  isStarting(color: string): boolean {
    return this.colors.includes(color);
  }

  /** The current instances (their colors in id order) changed: rebuild the id maps. */
  setInstances(current: readonly string[]): void {
    const byColor = new Map(current.map((c, i) => [c.toLowerCase(), i + 1]));
    this.startToCurrent = new Int32Array(this.colors.length + 1);
    this.currentToStart = new Int32Array(current.length + 1);
    this.present.clear();
    this.colors.forEach((color, i) => {
      const id = byColor.get(color);
      this.startToCurrent[i + 1] = id ?? -1;
      if (id !== undefined) {
        this.currentToStart[id] = i + 1;
        this.present.add(color);
      }
    });
    for (const color of this.changed) if (!this.present.has(color)) this.changed.delete(color);
  }

  /** One pass over the current ids: which starting instances now differ from the start. */
  measure(current: Uint16Array): void {
    const { start, startToCurrent, currentToStart } = this;
    const differs = new Uint8Array(this.colors.length + 1);
    for (let i = 0; i < start.length; i++) {
      const s = start[i];
      const c = current[i];
      if (startToCurrent[s] !== c) {
        differs[s] = 1;
        differs[c < currentToStart.length ? currentToStart[c] : 0] = 1;
      }
    }
    this.changed.clear();
    this.colors.forEach((color, i) => {
      if (differs[i + 1] && this.present.has(color)) this.changed.add(color);
    });
  }

  /**
   * A starting instance that is gone was rejected; one whose pixels changed
   * was edited; otherwise it is what the reviewer said (accepted) or unreviewed.
   */
  state(color: string): ReviewState {
    if (!this.isStarting(color)) return "unreviewed";
    if (!this.present.has(color)) return "rejected";
    if (this.changed.has(color)) return "edited";
    return this.accepted.has(color) ? "accepted" : "unreviewed";
  }

  /** Every reviewed starting instance's state, in starting order: the `review_states` trait. */
  states(): ReviewStates {
    const out: ReviewStates = {};
    for (const color of this.colors) {
      const state = this.state(color);
      if (state !== "unreviewed") out[color] = state;
    }
    return out;
  }

  counts(): Record<ReviewState, number> {
    const counts = { unreviewed: 0, accepted: 0, rejected: 0, edited: 0 };
    for (const color of this.colors) counts[this.state(color)]++;
    return counts;
  }

  accept(color: string): void {
    if (this.isStarting(color)) this.accepted.add(color);
  }

  /** Accept every starting instance still unreviewed; returns how many. */
  acceptAll(): number {
    const todo = this.colors.filter((color) => this.state(color) === "unreviewed");
    for (const color of todo) this.accepted.add(color);
    return todo.length;
  }

  /**
   * Take the reviewer's decisions from `review_states` (another view, Python):
   * "accepted" accepts, absent (unreviewed) withdraws an acceptance; "edited"
   * and "rejected" follow from the pixels and keep an acceptance underneath.
   */
  load(states: Readonly<Record<string, string>>): void {
    const lower = new Map(Object.entries(states).map(([color, state]) => [color.toLowerCase(), state]));
    for (const color of this.colors) {
      const state = lower.get(color);
      if (state === "accepted") this.accepted.add(color);
      else if (state === undefined) this.accepted.delete(color);
    }
  }

  /**
   * Write the change of each pixel of `rect` into `out` (one RGBA word per
   * pixel, row-major over the whole image): `CHANGE_COLORS`, transparent
   * where nothing changed.
   */
  renderChanges(current: Uint16Array, width: number, rect: Rect, out: Uint32Array): void {
    const { start, startToCurrent } = this;
    for (let y = rect.y0; y < rect.y1; y++) {
      for (let i = y * width + rect.x0, end = y * width + rect.x1; i < end; i++) {
        const s = start[i];
        const c = current[i];
        out[i] = startToCurrent[s] === c ? 0 : CHANGE_COLORS[s === 0 ? Change.Added : c === 0 ? Change.Removed : Change.Moved];
      }
    }
  }
}

/** Are two `review_states` records the same? (Key order does not matter.) */
export function sameStates(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
