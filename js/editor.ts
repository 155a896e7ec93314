import type { LabelBuffer } from "./core/labelBuffer";
import { applyMask, type BoxMask } from "./core/mask";
import { PAINT_OVER } from "./core/paint";
import { nextColor } from "./core/palette";
import type { Rect } from "./core/rect";
import { EditHistory, stepRect, type StepChange } from "./core/history";
import { measureSince } from "./core/userTiming";

export interface Instance {
  /** 1-based; the value's `instances[id - 1]` and the label buffer's id. */
  id: number;
  label: string;
  color: string;
}

/** What the editor announces, and with what: one handler per event (`Editor.on`). */
export interface EditorEvents {
  labels: void;
  instances: void;
  selection: void;
  /** A tool was picked (maybe the active one again; also: the assist came or went); `previous` was active before. */
  tool: { previous: string };
  /** A tool size changed: the brush radius or the magic wand's tolerance. */
  radius: void;
  opacity: void;
  /** Pixels changed outside a tool (undo, redo, delete); `rect` null: anywhere. */
  pixels: { rect: Rect | null };
  /**
   * One whole change of the annotation is done: a stroke (pointer down to up,
   * whatever the tool did in it), a polygon closed by a key, an added, deleted
   * or relabelled instance, an undo, a redo. Once per undo step and never while
   * the pointer is down: this is what the value sync sends.
   */
  committed: void;
  /** A stroke began or ended (the pointer went down or up on the image, or the stroke was aborted). */
  stroke: { active: boolean };
  /** Hidden instances or the outline view changed (display only). */
  display: void;
  /** The overlap policy changed. */
  policy: void;
}

export type EditorListener<K extends keyof EditorEvents> = (payload: EditorEvents[K]) => void;

/** The committed annotation: the ids as at the last "committed" event and the instances then. */
export interface CommittedDrawing {
  buffer: LabelBuffer;
  instances: ReadonlyArray<{ color: string; label: string }>;
}

export const DEFAULT_RADIUS = 5;
export const MAX_RADIUS = 100;
export const DEFAULT_OPACITY = 60;
export const DEFAULT_TOLERANCE = 24;
export const MAX_TOLERANCE = 255;

/** Where an accepted mask goes: a new instance (or the selected one while unpainted), or into the selected instance. */
export type AcceptMode = "new" | "add";

/**
 * The editor's state, apart from the pixels: labels, instances in creation
 * order, what is selected, and the tool settings. No DOM, so it is testable.
 */
export class Editor {
  labels: string[] = [];
  instances: Instance[] = [];
  selectedLabel: string | null = null;
  /** 0 = none yet: the next stroke creates the selected label's first instance. */
  selectedId = 0;
  toolName = "brush";
  radius = DEFAULT_RADIUS;
  opacity = DEFAULT_OPACITY;
  /** The magic wand's tolerance: the largest per-channel color difference it takes in. */
  tolerance = DEFAULT_TOLERANCE;
  /** Python has an assist: the model tools (auto-segment, click-to-mask) can run. */
  assistAvailable = false;
  /** Overlap policy: false = paint over other instances (default), true = only background and the selected instance change. */
  preserve = false;
  /** Show instances as outlines only. */
  outline = false;
  /** Hidden instances, by color (ids shift on delete, colors do not). */
  readonly hidden = new Set<string>();
  /** The label buffer of the image shown; null while an image loads. */
  buffer: LabelBuffer | null = null;
  /** Undo/redo and pixel counts; null until the image (and so the buffer) exists. */
  history: EditHistory | null = null;
  /** Every color handed out in this session, so a deleted instance's color is not reused. */
  private readonly usedColors = new Set<string>();
  /** The stroke in progress (pointer down); `changed`: it painted, a tool committed in it, or something else changed. */
  private stroke: { changed: boolean } | null = null;
  /** The instances as at the last "committed" event (a stroke may add one before it is committed). */
  private committedInstances: ReadonlyArray<{ color: string; label: string }> = [];
  private readonly listeners = new Map<keyof EditorEvents, Set<(payload: never) => void>>();

  on<K extends keyof EditorEvents>(event: K, listener: EditorListener<K>): () => void {
    let listeners = this.listeners.get(event);
    if (listeners === undefined) this.listeners.set(event, (listeners = new Set()));
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  private emit<K extends keyof EditorEvents>(event: K, payload: EditorEvents[K]): void {
    const listeners = this.listeners.get(event) as Set<EditorListener<K>> | undefined;
    if (listeners !== undefined) for (const listener of [...listeners]) listener(payload);
  }

  setLabels(labels: readonly string[]): void {
    this.labels = [...labels];
    // Keep a still-valid selection; otherwise the first label, so painting works at once.
    if (this.selectedLabel === null || !this.labels.includes(this.selectedLabel)) {
      const selected = this.instanceById(this.selectedId);
      if (selected === undefined || !this.labels.includes(selected.label)) {
        this.selectLabel(this.labels[0] ?? null);
      }
    }
    this.emit("labels", undefined);
  }

  instanceById(id: number): Instance | undefined {
    return id > 0 ? this.instances[id - 1] : undefined;
  }

  /** "Add instance": a new instance of `label` with the next unused color, selected; committed at once. */
  addInstance(label: string): Instance {
    const instance = this.createInstance(label);
    this.changed(); // an unpainted instance is still an instance of the value
    return instance;
  }

  private createInstance(label: string): Instance {
    const color = nextColor(this.usedColors);
    this.usedColors.add(color);
    const instance = { id: this.instances.length + 1, label, color };
    this.instances.push(instance);
    this.emit("instances", undefined);
    this.selectInstance(instance.id);
    return instance;
  }

  /** Colors other views or Python handed out: never hand them out again here. */
  markColorsUsed(colors: Iterable<string>): void {
    for (const color of colors) this.usedColors.add(color.toLowerCase());
  }

  /** Another image: its colors start over and nothing is hidden (tool settings stay). */
  startImage(): void {
    this.usedColors.clear();
    this.hidden.clear();
    this.emit("display", undefined);
  }

  /** Replace all instances (Python sent a new annotation); their colors count as used. */
  replaceInstances(instances: ReadonlyArray<{ label: string; color: string }>): void {
    this.abortStroke(); // the stroke's pixels are gone: the rest of it paints nothing
    // The selected instance stays selected, found by its color: a delete from Python shifts ids.
    const selectedColor = this.instanceById(this.selectedId)?.color;
    this.instances = instances.map((inst, i) => ({ id: i + 1, label: inst.label, color: inst.color.toLowerCase() }));
    for (const inst of this.instances) this.usedColors.add(inst.color);
    this.history?.reset(); // a new annotation: earlier steps no longer apply
    this.committedInstances = snapshot(this.instances);
    const kept = this.instances.find((inst) => inst.color === selectedColor);
    this.selectedId = kept?.id ?? 0;
    this.emit("instances", undefined);
    if (kept !== undefined) this.selectInstance(kept.id);
    else this.selectLabel(this.selectedLabel);
  }

  selectInstance(id: number): void {
    const instance = this.instanceById(id);
    if (instance === undefined) return;
    this.selectedId = id;
    this.selectedLabel = instance.label;
    this.emit("selection", undefined);
  }

  /** Select a label and its most recent instance (or none yet, created on the first stroke). */
  selectLabel(label: string | null): void {
    this.selectedLabel = label;
    const mine = this.instances.filter((inst) => inst.label === label);
    this.selectedId = mine.length > 0 ? mine[mine.length - 1].id : 0;
    this.emit("selection", undefined);
  }

  /**
   * The id to paint with: the selected instance, or a new one of the selected
   * label, made for the tool's action and so committed with it.
   */
  paintId(): number | null {
    if (this.selectedId > 0) return this.selectedId;
    if (this.selectedLabel === null) return null;
    return this.createInstance(this.selectedLabel).id;
  }

  setTool(name: string): void {
    const previous = this.toolName;
    this.toolName = name;
    this.emit("tool", { previous });
  }

  setRadius(radius: number): void {
    this.radius = Math.max(0, Math.min(MAX_RADIUS, Math.round(radius)));
    this.emit("radius", undefined);
  }

  setTolerance(tolerance: number): void {
    this.tolerance = Math.max(0, Math.min(MAX_TOLERANCE, Math.round(tolerance)));
    this.emit("radius", undefined);
  }

  /** Python's assist came or went (the toolbar enables the model tools). */
  setAssistAvailable(available: boolean): void {
    if (available === this.assistAvailable) return;
    this.assistAvailable = available;
    this.emit("tool", { previous: this.toolName });
  }

  setOpacity(opacity: number): void {
    this.opacity = Math.max(0, Math.min(100, opacity));
    this.emit("opacity", undefined);
  }

  // ------------------------------------------------------------ pixels and history

  /** The image is shown: undo history and pixel counts start from `buffer`. */
  attach(buffer: LabelBuffer): void {
    this.abortStroke();
    this.buffer = buffer;
    this.history = new EditHistory(buffer);
    this.committedInstances = snapshot(this.instances);
  }

  /** Another image is loading: no buffer, so no stroke starts and no key edits. */
  detach(): void {
    this.abortStroke();
    this.buffer = null;
    this.history = null;
  }

  /** The committed annotation (null before an image is shown): a stroke in progress is not in it. */
  committedDrawing(): CommittedDrawing | null {
    const history = this.history;
    return history === null ? null : { buffer: history.committed, instances: this.committedInstances };
  }

  /** What the committed steps changed since the last call: the value sync's patches to the kernel. */
  takeChanges(): StepChange[] {
    return this.history?.takeChanges() ?? [];
  }

  // ------------------------------------------------------------ the stroke bracket

  get stroking(): boolean {
    return this.stroke !== null;
  }

  /** The pointer went down on the image: everything until `endStroke` is one undo step, committed once. */
  beginStroke(): void {
    if (this.stroke !== null || this.buffer === null) return;
    this.stroke = { changed: false };
    this.emit("stroke", { active: true });
  }

  /** The pointer went up: the stroke's pixels become one undo step, and one "committed" announces it. */
  endStroke(): void {
    const stroke = this.stroke;
    if (stroke === null) return;
    this.stroke = null;
    this.record(stroke.changed);
    this.emit("stroke", { active: false });
  }

  /** The annotation under the stroke was replaced: close the bracket without a step or a "committed". */
  abortStroke(): void {
    if (this.stroke === null) return;
    this.stroke = null;
    this.emit("stroke", { active: false });
  }

  /** A tool changed (or is about to change) the pixels in `rect`; inside a stroke, that makes it an action. */
  touch(rect: Rect | null): void {
    this.history?.touch(rect);
    if (rect !== null && this.stroke !== null) this.stroke.changed = true;
  }

  /**
   * A tool's action is complete (a stroke, a fill, a polygon closed by a click
   * or by Enter): one undo step and one "committed", even if no pixel changed
   * (Python is told the action happened). Inside a stroke, at its end.
   */
  commitEdit(): void {
    if (this.stroke !== null) this.stroke.changed = true;
    else this.record(true);
  }

  /** End the undo step in progress; announce it if it changed pixels or `changed` says something else did. */
  private record(changed: boolean): void {
    const started = performance.now();
    const patch = this.history?.end() ?? null;
    if (patch !== null || changed) this.announce();
    measureSince("crowdseg-commit", started); // the whole action end, the sync's patch included
  }

  /** A change besides pixels (instances, undo): announce it now, or with the stroke it happened in. */
  private changed(): void {
    if (this.stroke !== null) this.stroke.changed = true;
    else this.announce();
  }

  private announce(): void {
    this.committedInstances = snapshot(this.instances);
    this.emit("committed", undefined);
  }

  /**
   * Accept a pending mask (an assist's candidate, the magic wand's region)
   * under the overlap policy, as one undo step and one "committed" (inside a
   * stroke, with it). "new": a new instance of the selected label, or the
   * selected instance while it has no pixels (no empty instance is left
   * behind); "add": into the selected instance (a new one if none is
   * selected). Returns the instance's id, or null when there is no image or label.
   */
  acceptMask(mask: BoxMask, mode: AcceptMode): number | null {
    if (this.buffer === null) return null;
    const selected = this.instanceById(this.selectedId);
    let id: number;
    if (selected !== undefined && (mode === "add" || this.pixelCount(selected.id) === 0)) id = selected.id;
    else if (this.selectedLabel !== null) id = this.createInstance(this.selectedLabel).id;
    else return null;
    const rect = applyMask(this.buffer, mask, id, this.preserve ? id : PAINT_OVER);
    this.touch(rect);
    if (rect !== null) this.emit("pixels", { rect });
    this.commitEdit();
    return id;
  }

  /** Pixels of an instance, kept exact across edits, undo and redo. */
  pixelCount(id: number): number {
    return this.history?.counts[id] ?? 0;
  }

  get canUndo(): boolean {
    return this.history?.canUndo ?? false;
  }

  get canRedo(): boolean {
    return this.history?.canRedo ?? false;
  }

  /** Revert the last action. The selected instance stays the same instance. */
  undo(): boolean {
    return this.step("undo");
  }

  redo(): boolean {
    return this.step("redo");
  }

  private step(how: "undo" | "redo"): boolean {
    const history = this.history;
    if (history === null) return false;
    const started = performance.now();
    const step = how === "undo" ? history.undo() : history.redo();
    if (step === null) return false;
    if (step.kind === "delete") {
      if (how === "undo") this.insertInstanceAt(step.id, step.instance);
      else this.dropInstanceAt(step.id);
    } else if (step.kind === "relabel") {
      this.setLabelOf(step.id, how === "undo" ? step.before : step.after);
    }
    if (step.kind !== "relabel") this.emit("pixels", { rect: stepRect(step) });
    this.changed();
    measureSince("crowdseg-commit", started);
    return true;
  }

  /**
   * Delete an instance as one undoable step: its pixels return to background,
   * later instances move up one id (docs/format.md). The single entry point for
   * every delete (panel button, review "reject").
   */
  deleteInstance(id: number): boolean {
    const instance = this.instanceById(id);
    if (instance === undefined) return false;
    if (this.history !== null) this.history.deleteInstance(id, { label: instance.label, color: instance.color });
    this.dropInstanceAt(id);
    this.emit("pixels", { rect: null });
    this.changed();
    return true;
  }

  private dropInstanceAt(id: number): void {
    const [gone] = this.instances.splice(id - 1, 1);
    this.instances.forEach((inst, i) => (inst.id = i + 1));
    this.emit("instances", undefined);
    if (this.selectedId === id) this.selectLabel(gone?.label ?? this.selectedLabel);
    else if (this.selectedId > id) this.selectInstance(this.selectedId - 1);
  }

  private insertInstanceAt(id: number, instance: { label: string; color: string }): void {
    this.instances.splice(id - 1, 0, { id, label: instance.label, color: instance.color });
    this.instances.forEach((inst, i) => (inst.id = i + 1));
    this.usedColors.add(instance.color);
    this.emit("instances", undefined);
    // Same instance selected as before the undo: its id may have moved up.
    if (this.selectedId >= id) this.selectInstance(this.selectedId + 1);
  }

  /**
   * A panel action on the pixels (an instance's cleanup): `edit` changes the
   * buffer and returns the rect it changed (null: nothing). One undo step and
   * one "committed", through the stroke bracket; not during a stroke. Returns
   * whether a pixel changed.
   */
  editPixels(edit: (buffer: LabelBuffer) => Rect | null): boolean {
    if (this.buffer === null || this.stroke !== null) return false;
    this.beginStroke();
    const rect = edit(this.buffer);
    this.touch(rect);
    if (rect !== null) this.emit("pixels", { rect });
    this.endStroke();
    return rect !== null;
  }

  /** Give an instance another label (its pixels and color stay), as one undoable step. */
  relabelInstance(id: number, label: string): void {
    const instance = this.instanceById(id);
    if (instance === undefined || instance.label === label) return;
    this.history?.relabel(id, instance.label, label);
    this.setLabelOf(id, label);
    this.changed();
  }

  private setLabelOf(id: number, label: string): void {
    const instance = this.instanceById(id);
    if (instance === undefined) return;
    instance.label = label;
    this.emit("instances", undefined);
    if (this.selectedId === id) this.selectInstance(id);
  }

  // ------------------------------------------------------------ display and policy

  isHidden(id: number): boolean {
    const instance = this.instanceById(id);
    return instance !== undefined && this.hidden.has(instance.color);
  }

  toggleHidden(id: number): void {
    const instance = this.instanceById(id);
    if (instance === undefined) return;
    if (!this.hidden.delete(instance.color)) this.hidden.add(instance.color);
    this.emit("display", undefined);
  }

  /** Hide every other instance; if they are all hidden already, show everything again. */
  toggleOthers(id: number): void {
    const instance = this.instanceById(id);
    if (instance === undefined) return;
    const others = this.instances.filter((inst) => inst.id !== id);
    const solo = !this.hidden.has(instance.color) && others.every((inst) => this.hidden.has(inst.color));
    this.hidden.clear();
    if (!solo) for (const inst of others) this.hidden.add(inst.color);
    this.emit("display", undefined);
  }

  setOutline(outline: boolean): void {
    this.outline = outline;
    this.emit("display", undefined);
  }

  setPreserve(preserve: boolean): void {
    this.preserve = preserve;
    this.emit("policy", undefined);
  }
}

function snapshot(instances: readonly Instance[]): Array<{ color: string; label: string }> {
  return instances.map((inst) => ({ color: inst.color, label: inst.label }));
}
