import { countIds } from "./idCounts";
import { LabelBuffer } from "./labelBuffer";
import type { Rect } from "./rect";
import { applyRuns, pixelRuns, type LabelChange } from "./runs";
import { countPatch, DirtyTiles, removeId, restoreId, UndoStack, type PixelPatch } from "./undo";

/**
 * Default memory bound of the undo history (patches' before + after ids).
 * The newest step is always kept, and one step of a 12 MP image is at most
 * 46 MiB (a whole-image fill), so the history stays under 48 MiB there.
 */
export const HISTORY_LIMIT_BYTES = 48 * 1024 * 1024;

/** Deleting an instance: its pixels (to give back) and its place in `instances`. */
export interface DeleteStep {
  readonly kind: "delete";
  readonly id: number;
  readonly instance: { label: string; color: string };
  readonly pixels: Uint32Array;
  readonly bytes: number;
}

/** Giving an instance another label: no pixel changes. */
export interface RelabelStep {
  readonly kind: "relabel";
  readonly id: number;
  readonly before: string;
  readonly after: string;
  readonly bytes: number;
}

export type HistoryStep = PixelPatch | DeleteStep | RelabelStep;

/** What one step done, undone or redone changed in the committed drawing. */
export type StepChange = LabelChange;

/**
 * Undo/redo for the label buffer, and pixels per id kept current from the
 * patches. Keeps a shadow copy of the buffer as it was at the end of the last
 * action, so a patch's "before" ids cost only the pixels the action touched
 * (no snapshot per action, whatever the tool). DOM-free.
 */
export class EditHistory {
  private readonly shadow: Uint16Array;
  /** The drawing as at the end of the last action: what an edit in progress has not touched yet. */
  readonly committed: LabelBuffer;
  private readonly touched: DirtyTiles;
  private readonly stack: UndoStack<HistoryStep>;
  /** Pixels per id (index = id); exact after every action, undo and redo. */
  readonly counts = new Float64Array(65536);
  /** The changes of the steps done, undone or redone since `takeChanges`, in order. */
  private changes: StepChange[] = [];

  constructor(readonly buffer: LabelBuffer, limitBytes = HISTORY_LIMIT_BYTES) {
    this.shadow = new Uint16Array(buffer.data);
    this.committed = new LabelBuffer(buffer.width, buffer.height, this.shadow);
    this.touched = new DirtyTiles(buffer.width, buffer.height);
    this.stack = new UndoStack(limitBytes);
    this.recount();
  }

  get canUndo(): boolean {
    return this.stack.canUndo;
  }

  get canRedo(): boolean {
    return this.stack.canRedo;
  }

  get bytes(): number {
    return this.stack.bytes;
  }

  get depth(): number {
    return this.stack.depth;
  }

  set limitBytes(limit: number) {
    this.stack.limitBytes = limit;
  }

  /** Pixels in `rect` are about to change or have changed in the action in progress. */
  touch(rect: Rect | null): void {
    this.touched.add(rect);
  }

  /** The action in progress is complete: record it (nothing if no pixel changed). */
  end(): PixelPatch | null {
    const patch = this.touched.take(this.shadow, this.buffer.data);
    if (patch !== null) {
      countPatch(this.counts, patch, "after");
      this.stack.push(patch);
      this.changes.push(patch.after); // the kernel's runs are the redo side: no second pass
    }
    return patch;
  }

  /** What the committed drawing's steps changed since the last call (the value sync's patches). */
  takeChanges(): StepChange[] {
    const changes = this.changes;
    this.changes = [];
    return changes;
  }

  /** Delete instance `id` (pixels → background, higher ids shift down) as one undoable step. */
  deleteInstance(id: number, instance: { label: string; color: string }): DeleteStep {
    this.end();
    const pixels = removeId(this.buffer.data, id);
    const step: DeleteStep = { kind: "delete", id, instance, pixels, bytes: 4 * pixels.length + 64 };
    this.shadow.set(this.buffer.data);
    this.recount();
    this.stack.push(step);
    this.changes.push({ remove: id });
    return step;
  }

  /** Instance `id`'s label changed from `before` to `after`, as one undoable step. */
  relabel(id: number, before: string, after: string): RelabelStep {
    this.end();
    const step: RelabelStep = { kind: "relabel", id, before, after, bytes: 64 + 2 * (before.length + after.length) };
    this.stack.push(step);
    return step;
  }

  /** Revert the last step; returns it (the caller restores an instance for a delete) or null. */
  undo(): HistoryStep | null {
    this.end();
    const step = this.stack.undo();
    if (step !== null) this.apply(step, "undo");
    return step;
  }

  redo(): HistoryStep | null {
    this.end();
    const step = this.stack.redo();
    if (step !== null) this.apply(step, "redo");
    return step;
  }

  private apply(step: HistoryStep, how: "undo" | "redo"): void {
    const data = this.buffer.data;
    if (step.kind === "relabel") return; // the editor swaps the label back; no pixel changed
    if (step.kind === "pixels") {
      const side = how === "undo" ? "before" : "after";
      applyRuns(data, step[side]);
      applyRuns(this.shadow, step[side]);
      countPatch(this.counts, step, side);
      this.changes.push(step[side]); // what the kernel replays: the stored runs themselves
      return;
    }
    if (how === "undo") restoreId(data, step.id, step.pixels);
    else removeId(data, step.id);
    this.changes.push(how === "undo" ? { restore: step.id, at: pixelRuns(step.pixels, step.id) } : { remove: step.id });
    this.shadow.set(data);
    this.recount();
  }

  /** The buffer was replaced from outside (Python sent an annotation): forget every step. */
  reset(): void {
    this.touched.take(this.shadow, this.buffer.data);
    this.shadow.set(this.buffer.data);
    this.stack.clear();
    this.changes = [];
    this.recount();
  }

  private recount(): void {
    countIds(this.buffer.data, this.counts);
  }
}

/** The rect a step changed (null: the whole image, e.g. a delete). */
export function stepRect(step: HistoryStep): Rect | null {
  return step.kind === "pixels" ? step.rect : null;
}
