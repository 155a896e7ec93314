import type { LabelBuffer } from "./core/labelBuffer";
import { nextColor } from "./core/palette";
import type { Rect } from "./core/rect";
import { EditHistory, stepRect } from "./core/history";

export interface Instance {
  /** 1-based; the value's `instances[id - 1]` and the label buffer's id. */
  id: number;
  label: string;
  color: string;
}

export type EditorEvent =
  | "labels"
  | "instances"
  | "selection"
  | "tool"
  | "radius"
  | "opacity"
  /** Pixels changed outside a tool (undo, redo, delete); the listener gets the rect (null: all). */
  | "pixels"
  /** An edit was completed, undone or redone: sync, update undo buttons and pixel counts. */
  | "history"
  /** Hidden instances or the outline view changed (display only). */
  | "display"
  /** The overlap policy changed. */
  | "policy";

export const DEFAULT_RADIUS = 5;
export const MAX_RADIUS = 100;
export const DEFAULT_OPACITY = 60;

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
  /** Overlap policy: false = paint over other instances (default), true = only background and the selected instance change. */
  preserve = false;
  /** Show instances as outlines only. */
  outline = false;
  /** Hidden instances, by color (ids shift on delete, colors do not). */
  readonly hidden = new Set<string>();
  /** Undo/redo and pixel counts; null until the image (and so the buffer) exists. */
  history: EditHistory | null = null;
  /** Every color handed out in this session, so a deleted instance's color is not reused. */
  private readonly usedColors = new Set<string>();
  private readonly listeners = new Set<(event: EditorEvent, rect?: Rect | null) => void>();

  on(listener: (event: EditorEvent, rect?: Rect | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EditorEvent, rect?: Rect | null): void {
    for (const listener of this.listeners) listener(event, rect);
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
    this.emit("labels");
  }

  instanceById(id: number): Instance | undefined {
    return id > 0 ? this.instances[id - 1] : undefined;
  }

  /** A new instance of `label` with the next unused color, selected. */
  addInstance(label: string): Instance {
    const color = nextColor(this.usedColors);
    this.usedColors.add(color);
    const instance = { id: this.instances.length + 1, label, color };
    this.instances.push(instance);
    this.emit("instances");
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
    this.emit("display");
  }

  /** Replace all instances (Python sent a new annotation); their colors count as used. */
  replaceInstances(instances: ReadonlyArray<{ label: string; color: string }>): void {
    // The selected instance stays selected, found by its color: a delete from Python shifts ids.
    const selectedColor = this.instanceById(this.selectedId)?.color;
    this.instances = instances.map((inst, i) => ({ id: i + 1, label: inst.label, color: inst.color.toLowerCase() }));
    for (const inst of this.instances) this.usedColors.add(inst.color);
    this.history?.reset(); // a new annotation: earlier steps no longer apply
    const kept = this.instances.find((inst) => inst.color === selectedColor);
    this.selectedId = kept?.id ?? 0;
    this.emit("instances");
    if (kept !== undefined) this.selectInstance(kept.id);
    else this.selectLabel(this.selectedLabel);
  }

  selectInstance(id: number): void {
    const instance = this.instanceById(id);
    if (instance === undefined) return;
    this.selectedId = id;
    this.selectedLabel = instance.label;
    this.emit("selection");
  }

  /** Select a label and its most recent instance (or none yet, created on the first stroke). */
  selectLabel(label: string | null): void {
    this.selectedLabel = label;
    const mine = this.instances.filter((inst) => inst.label === label);
    this.selectedId = mine.length > 0 ? mine[mine.length - 1].id : 0;
    this.emit("selection");
  }

  /** The id to paint with: the selected instance, or a new one of the selected label. */
  paintId(): number | null {
    if (this.selectedId > 0) return this.selectedId;
    if (this.selectedLabel === null) return null;
    return this.addInstance(this.selectedLabel).id;
  }

  setTool(name: string): void {
    this.toolName = name;
    this.emit("tool");
  }

  setRadius(radius: number): void {
    this.radius = Math.max(0, Math.min(MAX_RADIUS, Math.round(radius)));
    this.emit("radius");
  }

  setOpacity(opacity: number): void {
    this.opacity = Math.max(0, Math.min(100, opacity));
    this.emit("opacity");
  }

  // ------------------------------------------------------------ pixels and history

  /** The image is shown: undo history and pixel counts start from `buffer`. */
  attach(buffer: LabelBuffer): void {
    this.history = new EditHistory(buffer);
  }

  /** A tool changed (or is about to change) the pixels in `rect`. */
  touch(rect: Rect | null): void {
    this.history?.touch(rect);
  }

  /** A tool's action is complete (stroke, polygon, fill): one undo step. */
  commitEdit(): void {
    this.history?.end();
    this.emit("history");
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
    const step = how === "undo" ? history.undo() : history.redo();
    if (step === null) return false;
    if (step.kind === "delete") {
      if (how === "undo") this.insertInstanceAt(step.id, step.instance);
      else this.dropInstanceAt(step.id);
    } else if (step.kind === "relabel") {
      this.setLabelOf(step.id, how === "undo" ? step.before : step.after);
    }
    if (step.kind !== "relabel") this.emit("pixels", stepRect(step));
    this.emit("history");
    return true;
  }

  /**
   * Delete an instance as one undoable step: its pixels return to background,
   * later instances move up one id (DESIGN §2). The single entry point for
   * every delete (panel button, review "reject").
   */
  deleteInstance(id: number): boolean {
    const instance = this.instanceById(id);
    if (instance === undefined) return false;
    if (this.history !== null) this.history.deleteInstance(id, { label: instance.label, color: instance.color });
    this.dropInstanceAt(id);
    this.emit("pixels", null);
    this.emit("history");
    return true;
  }

  private dropInstanceAt(id: number): void {
    const [gone] = this.instances.splice(id - 1, 1);
    this.instances.forEach((inst, i) => (inst.id = i + 1));
    this.emit("instances");
    if (this.selectedId === id) this.selectLabel(gone?.label ?? this.selectedLabel);
    else if (this.selectedId > id) this.selectInstance(this.selectedId - 1);
  }

  private insertInstanceAt(id: number, instance: { label: string; color: string }): void {
    this.instances.splice(id - 1, 0, { id, label: instance.label, color: instance.color });
    this.instances.forEach((inst, i) => (inst.id = i + 1));
    this.usedColors.add(instance.color);
    this.emit("instances");
    // Same instance selected as before the undo: its id may have moved up.
    if (this.selectedId >= id) this.selectInstance(this.selectedId + 1);
  }

  /** Give an instance another label (its pixels and color stay), as one undoable step. */
  relabelInstance(id: number, label: string): void {
    const instance = this.instanceById(id);
    if (instance === undefined || instance.label === label) return;
    this.history?.relabel(id, instance.label, label);
    this.setLabelOf(id, label);
    this.emit("history");
  }

  private setLabelOf(id: number, label: string): void {
    const instance = this.instanceById(id);
    if (instance === undefined) return;
    instance.label = label;
    this.emit("instances");
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
    this.emit("display");
  }

  /** Hide every other instance; if they are all hidden already, show everything again. */
  toggleOthers(id: number): void {
    const instance = this.instanceById(id);
    if (instance === undefined) return;
    const others = this.instances.filter((inst) => inst.id !== id);
    const solo = !this.hidden.has(instance.color) && others.every((inst) => this.hidden.has(inst.color));
    this.hidden.clear();
    if (!solo) for (const inst of others) this.hidden.add(inst.color);
    this.emit("display");
  }

  setOutline(outline: boolean): void {
    this.outline = outline;
    this.emit("display");
  }

  setPreserve(preserve: boolean): void {
    this.preserve = preserve;
    this.emit("policy");
  }
}
