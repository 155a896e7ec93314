import type { Editor } from "../editor";
import type { Review, ReviewState } from "../core/review";
import { button, h } from "./dom";

export interface ReviewActions {
  accept(color: string): void;
  /** Delete the instance (one undoable step). */
  reject(color: string): void;
  acceptAll(): void;
  toggleChanges(): void;
}

const STATE_TEXT: Record<ReviewState, string> = {
  unreviewed: "unreviewed",
  accepted: "accepted",
  rejected: "rejected",
  edited: "edited",
};

/**
 * Review controls: a bar (counts per state, "Accept all remaining", "Show
 * changes") and, on each starting instance's row of the panel, its state and
 * accept / reject buttons. The panel rebuilds its rows whenever it likes, so
 * the rows are decorated after every rebuild, found by a MutationObserver
 * rather than by a call from each place that re-renders the panel.
 */
export class ReviewControls {
  readonly el = h("div", "crowdseg-review-bar");
  private readonly summary = h("div", "crowdseg-review-summary");
  private readonly acceptAll: HTMLButtonElement;
  private readonly showChanges: HTMLButtonElement;
  private readonly observer: MutationObserver;
  private review: Review | null = null;

  constructor(
    private readonly panel: HTMLElement,
    private readonly editor: Editor,
    private readonly actions: ReviewActions,
  ) {
    this.acceptAll = button("crowdseg-accept-all", "Accept all remaining", () => actions.acceptAll());
    this.acceptAll.title = "Accept every prediction not reviewed yet";
    this.showChanges = button("crowdseg-show-changes", "Show changes", () => actions.toggleChanges());
    this.showChanges.title = "Overlay the pixels added (green), removed (magenta) and moved (amber) since the start";
    const buttons = h("div", "crowdseg-review-buttons");
    buttons.append(this.acceptAll, this.showChanges);
    this.el.append(h("div", "crowdseg-side-title", "Review"), this.summary, buttons);
    this.el.hidden = true;
    this.setChangesShown(false);
    this.observer = new MutationObserver(() => this.decorate());
    this.observer.observe(panel, { childList: true, subtree: true });
  }

  /** Show `review` (null: nothing to review, the controls hide). */
  update(review: Review | null): void {
    this.review = review;
    this.el.hidden = review === null;
    if (review !== null) {
      const counts = review.counts();
      const parts = (Object.keys(STATE_TEXT) as ReviewState[]).map((s) => `${counts[s]} ${STATE_TEXT[s]}`);
      this.summary.textContent = parts.join(" · ");
      this.acceptAll.disabled = counts.unreviewed === 0;
    }
    this.decorate();
  }

  setChangesShown(shown: boolean): void {
    this.showChanges.classList.toggle("is-active", shown);
    this.showChanges.setAttribute("aria-pressed", String(shown));
  }

  /** Put each starting instance's state and buttons on its panel row (idempotent). */
  private decorate(): void {
    for (const row of this.panel.querySelectorAll<HTMLElement>(".crowdseg-instance[data-instance-id]")) {
      const instance = this.editor.instanceById(Number(row.dataset.instanceId));
      const state = instance && this.review?.isStarting(instance.color) ? this.review.state(instance.color) : null;
      const current = row.querySelector<HTMLElement>(".crowdseg-review");
      if (state === null) {
        delete row.dataset.reviewState;
        current?.remove();
        continue;
      }
      if (row.dataset.reviewState === state && current?.dataset.color === instance!.color) continue;
      row.dataset.reviewState = state;
      const color = instance!.color;
      const box = h("span", "crowdseg-review");
      box.dataset.color = color;
      box.append(h("span", "crowdseg-review-state", STATE_TEXT[state]));
      if (state === "unreviewed") box.append(this.rowButton("crowdseg-accept", "✓", "Accept", () => this.actions.accept(color)));
      box.append(this.rowButton("crowdseg-reject", "✗", "Reject: delete this instance (undo brings it back)", () => this.actions.reject(color)));
      if (current) current.replaceWith(box);
      else (row.querySelector(".crowdseg-instance-actions") ?? row).prepend(box);
    }
    this.observer.takeRecords(); // our own insertions need no second pass
  }

  private rowButton(className: string, text: string, title: string, onClick: () => void): HTMLButtonElement {
    const b = button(className, text, onClick);
    b.title = title;
    b.setAttribute("aria-label", title);
    // A click on the row selects the instance: this click is not that.
    b.addEventListener("click", (e) => e.stopPropagation());
    return b;
  }

  dispose(): void {
    this.observer.disconnect();
  }
}
