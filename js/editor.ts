import { nextColor } from "./core/palette";

export interface Instance {
  /** 1-based; the value's `instances[id - 1]` and the label buffer's id. */
  id: number;
  label: string;
  color: string;
}

export type EditorEvent = "labels" | "instances" | "selection" | "tool" | "radius" | "opacity";

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
  /** Every color handed out in this session, so a deleted instance's color is not reused. */
  private readonly usedColors = new Set<string>();
  private readonly listeners = new Set<(event: EditorEvent) => void>();

  on(listener: (event: EditorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EditorEvent): void {
    for (const listener of this.listeners) listener(event);
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

  /** Replace all instances (Python sent a new annotation); their colors count as used. */
  replaceInstances(instances: ReadonlyArray<{ label: string; color: string }>): void {
    this.instances = instances.map((inst, i) => ({ id: i + 1, label: inst.label, color: inst.color.toLowerCase() }));
    for (const inst of this.instances) this.usedColors.add(inst.color);
    this.emit("instances");
    const selected = this.instanceById(this.selectedId);
    if (selected === undefined || selected.label !== this.selectedLabel) this.selectLabel(this.selectedLabel);
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
}
