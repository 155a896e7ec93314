import { fillHoles, removeIslands } from "../core/cleanup";
import { checkNewLabel } from "../core/labelRules";
import type { Editor, Instance } from "../editor";
import { button, h, suppressShortcuts } from "./dom";

/** "Remove islands" erases an instance's regions under this many pixels unless the panel says otherwise. */
export const DEFAULT_ISLAND_PIXELS = 20;

/** The labeler may add labels and delete unused ones (`allow_new_labels`): where the change goes. */
export interface LabelEditing {
  add(label: string): void;
  remove(label: string): void;
}

/**
 * The label list: each label with its "Add instance" button and its
 * instances (color swatch, click to select, actions: hide, solo, relabel,
 * fill holes, remove islands, delete). Instances of labels that are no
 * longer in `labels` stay listed, in a group at the end. Below the list, kept
 * across rebuilds (so typing in it keeps its focus): the island size, the
 * "Add label" field when labels may be added (`setLabelEditing`), and a
 * message line (`.crowdseg-panel-message`) for what an action did not do.
 */
export class Panel {
  readonly el = h("div", "crowdseg-labels");
  private readonly list = h("div", "crowdseg-label-list");
  private readonly footer = h("div", "crowdseg-panel-footer");
  private readonly islandSize = suppressShortcuts(h("input", "crowdseg-island-size"));
  private readonly message = h("div", "crowdseg-panel-message");
  private readonly addLabelRow = h("div", "crowdseg-add-label");
  private readonly newLabel = suppressShortcuts(h("input", "crowdseg-new-label"));
  private labelEditing: LabelEditing | null = null;

  constructor(private readonly editor: Editor) {
    this.islandSize.type = "number";
    this.islandSize.min = "1";
    this.islandSize.step = "1";
    this.islandSize.value = String(DEFAULT_ISLAND_PIXELS);
    this.islandSize.title = "Remove islands (∴) erases an instance's 4-connected regions smaller than this";
    this.islandSize.setAttribute("aria-label", "Island size in pixels");
    const islands = h("label", "crowdseg-cleanup-setting", "Islands under ");
    islands.append(this.islandSize, " px");
    this.message.setAttribute("role", "status");
    this.buildAddLabel();
    this.footer.append(this.addLabelRow, islands, this.message);
    this.el.append(this.list, this.footer);
  }

  /** `input.crowdseg-new-label` and its "+" (`button.crowdseg-add-label-button`); Enter adds too. */
  private buildAddLabel(): void {
    const input = this.newLabel;
    input.type = "text";
    input.placeholder = "New label";
    input.setAttribute("aria-label", "New label");
    input.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      e.stopPropagation(); // not the notebook's "run cell"
      this.addTypedLabel();
    });
    const add = button("crowdseg-add-label-button", "+", () => this.addTypedLabel());
    add.title = "Add label";
    add.setAttribute("aria-label", "Add label");
    this.addLabelRow.append(input, add);
    this.addLabelRow.hidden = true;
  }

  /** Let the labeler add labels and delete unused ones (null: the labels are fixed). */
  setLabelEditing(editing: LabelEditing | null): void {
    this.labelEditing = editing;
    this.addLabelRow.hidden = editing === null;
    this.render();
  }

  private addTypedLabel(): void {
    if (this.labelEditing === null) return;
    const checked = checkNewLabel(this.newLabel.value, this.editor.labels);
    if ("problem" in checked) return this.say(checked.problem);
    this.newLabel.value = "";
    this.say("");
    this.labelEditing.add(checked.label);
  }

  /** A short note under the list ("" clears it): why an action changed nothing, a refused label. */
  say(text: string): void {
    this.message.textContent = text;
  }

  /** Rebuild after labels or instances changed (a few dozen elements: cheap). */
  render(): void {
    const { editor } = this;
    const groups = editor.labels.map((label) => this.labelGroup(label));
    const orphans = editor.instances.filter((inst) => !editor.labels.includes(inst.label));
    if (orphans.length > 0) {
      const group = h("div", "crowdseg-orphans");
      group.append(h("div", "crowdseg-group-title", "Not in the current labels"));
      const list = h("div", "crowdseg-instance-list");
      list.append(...orphans.map((inst) => this.instanceRow(inst)));
      group.append(list);
      groups.push(group);
    }
    if (editor.labels.length === 0) groups.unshift(h("div", "crowdseg-empty", "No labels given."));
    this.list.replaceChildren(...groups);
    this.updateSelection();
    this.updateCounts();
    this.updateDisplay();
  }

  private labelGroup(label: string): HTMLElement {
    const { editor } = this;
    const group = h("div", "crowdseg-label");
    group.dataset.label = label;
    const head = h("div", "crowdseg-label-head");
    const name = button("crowdseg-label-name", label, () => editor.selectLabel(label));
    name.title = `Paint with "${label}"`;
    const add = button("crowdseg-add-instance", "Add instance", () => editor.addInstance(label));
    add.title = `Start a new "${label}" instance`;
    head.append(name, add);
    const editing = this.labelEditing;
    if (editing !== null && editor.labels.length > 1 && !editor.instances.some((inst) => inst.label === label)) {
      const remove = button("crowdseg-delete-label", "✕", () => editing.remove(label));
      remove.title = `Delete the label "${label}" (no instance uses it)`;
      remove.setAttribute("aria-label", remove.title);
      head.append(remove);
    }
    const list = h("div", "crowdseg-instance-list");
    list.append(...editor.instances.filter((inst) => inst.label === label).map((inst) => this.instanceRow(inst)));
    group.append(head, list);
    return group;
  }

  /**
   * One instance: a select button (swatch, name, pixel count), then its
   * actions in `.crowdseg-instance-actions` (a slot other features may add
   * controls to): hide/show, show only this, change label, delete.
   */
  private instanceRow(inst: Instance): HTMLElement {
    const { editor } = this;
    // Number instances per label, as people count them ("Cat 2"), ids stay global.
    const nth = editor.instances.filter((other) => other.label === inst.label && other.id <= inst.id).length;
    const row = h("div", "crowdseg-instance");
    row.dataset.instanceId = String(inst.id);
    row.dataset.color = inst.color;
    row.addEventListener("click", () => editor.selectInstance(inst.id));
    const select = button("crowdseg-instance-select", "", () => {});
    const swatch = h("span", "crowdseg-swatch");
    swatch.style.backgroundColor = inst.color;
    select.append(
      swatch,
      h("span", "crowdseg-instance-name", `${inst.label} ${nth}`),
      h("span", "crowdseg-pixel-count", ""),
    );
    select.title = `${inst.label} ${nth} (${inst.color})`;
    const actions = h("span", "crowdseg-instance-actions");
    const action = (className: string, text: string, title: string, run: () => void): HTMLButtonElement => {
      const b = button(className, text, run);
      b.title = title;
      b.setAttribute("aria-label", `${title}: ${inst.label} ${nth}`);
      b.addEventListener("click", (e) => e.stopPropagation()); // not a selection click
      return b;
    };
    const relabel = suppressShortcuts(h("select", "crowdseg-relabel"));
    relabel.title = "Change this instance's label";
    for (const label of new Set([...editor.labels, inst.label])) {
      const option = h("option", "", label);
      option.value = label;
      option.selected = label === inst.label;
      relabel.append(option);
    }
    relabel.addEventListener("click", (e) => e.stopPropagation());
    relabel.addEventListener("change", () => editor.relabelInstance(inst.id, relabel.value));
    const name = `${inst.label} ${nth}`;
    actions.append(
      action("crowdseg-hide", "◉", "Hide / show (h)", () => editor.toggleHidden(inst.id)),
      action("crowdseg-solo", "◎", "Show only this instance / show all", () => editor.toggleOthers(inst.id)),
      relabel,
      action("crowdseg-fill-holes", "◍", "Fill holes: background it encloses joins it (one undo step)", () =>
        this.fillHoles(inst.id, name),
      ),
      action("crowdseg-remove-islands", "∴", "Remove islands: its regions under the panel's island size (one undo step)", () =>
        this.removeIslands(inst.id, name),
      ),
      action("crowdseg-delete", "✕", "Delete: its pixels become background (undo brings it back)", () =>
        editor.deleteInstance(inst.id),
      ),
    );
    row.append(select, actions);
    return row;
  }

  private fillHoles(id: number, name: string): void {
    const changed = this.editor.editPixels((buffer) => fillHoles(buffer, id));
    this.say(changed ? "" : `${name} has no holes to fill.`);
  }

  private removeIslands(id: number, name: string): void {
    const size = Number(this.islandSize.value);
    if (!Number.isInteger(size) || size < 1) {
      this.say(`The island size must be a whole number of pixels, 1 or more (got "${this.islandSize.value}").`);
      return;
    }
    const changed = this.editor.editPixels((buffer) => removeIslands(buffer, id, size));
    this.say(changed ? "" : `${name} has no islands under ${size.toLocaleString("en-US")} px.`);
  }

  /** Pixel counts in place (after every edit, undo, redo). */
  updateCounts(): void {
    for (const row of this.el.querySelectorAll<HTMLElement>(".crowdseg-instance")) {
      const count = row.querySelector(".crowdseg-pixel-count");
      if (count !== null) count.textContent = `${this.editor.pixelCount(Number(row.dataset.instanceId)).toLocaleString("en-US")} px`;
    }
  }

  /** Hidden marks in place. */
  updateDisplay(): void {
    for (const row of this.el.querySelectorAll<HTMLElement>(".crowdseg-instance")) {
      const hidden = this.editor.isHidden(Number(row.dataset.instanceId));
      row.classList.toggle("is-hidden", hidden);
      row.querySelector(".crowdseg-hide")?.setAttribute("aria-pressed", String(hidden));
    }
  }

  /** Move the .is-selected marks without rebuilding (keeps keyboard focus). */
  updateSelection(): void {
    const { selectedLabel, selectedId } = this.editor;
    for (const group of this.el.querySelectorAll<HTMLElement>(".crowdseg-label")) {
      group.classList.toggle("is-selected", group.dataset.label === selectedLabel);
    }
    for (const row of this.el.querySelectorAll<HTMLElement>(".crowdseg-instance")) {
      row.classList.toggle("is-selected", Number(row.dataset.instanceId) === selectedId);
    }
  }
}
