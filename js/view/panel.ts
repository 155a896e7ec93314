import type { Editor, Instance } from "../editor";
import { button, h, suppressShortcuts } from "./dom";

/**
 * The label list: each label with its "Add instance" button and its
 * instances (color swatch, click to select). Instances of labels that are no
 * longer in `labels` stay listed, in a group at the end.
 */
export class Panel {
  readonly el = h("div", "crowdseg-labels");

  constructor(private readonly editor: Editor) {}

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
    this.el.replaceChildren(...groups);
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
    actions.append(
      action("crowdseg-hide", "◉", "Hide / show (h)", () => editor.toggleHidden(inst.id)),
      action("crowdseg-solo", "◎", "Show only this instance / show all", () => editor.toggleOthers(inst.id)),
      relabel,
      action("crowdseg-delete", "✕", "Delete: its pixels become background (undo brings it back)", () =>
        editor.deleteInstance(inst.id),
      ),
    );
    row.append(select, actions);
    return row;
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
