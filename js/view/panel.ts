import type { Editor, Instance } from "../editor";
import { button, h } from "./dom";

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

  private instanceRow(inst: Instance): HTMLElement {
    // Number instances per label, as people count them ("Cat 2"), ids stay global.
    const nth = this.editor.instances.filter((other) => other.label === inst.label && other.id <= inst.id).length;
    const row = button("crowdseg-instance", "", () => this.editor.selectInstance(inst.id));
    row.dataset.instanceId = String(inst.id);
    const swatch = h("span", "crowdseg-swatch");
    swatch.style.backgroundColor = inst.color;
    row.append(swatch, h("span", "crowdseg-instance-name", `${inst.label} ${nth}`));
    row.title = `${inst.label} ${nth} (${inst.color})`;
    return row;
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
