import type { NavigationAction, NavigationState } from "../model";
import { button, h } from "./dom";

export function isNavigation(value: unknown): value is NavigationState {
  const v = value as NavigationState | null | undefined;
  return typeof v === "object" && v !== null && typeof v.position === "number" && typeof v.total === "number";
}

/** "12 / 340, 57 done" (1-based position), with the skipped count when there are any. */
export function positionText(nav: NavigationState): string {
  const skipped = nav.skipped > 0 ? `, ${nav.skipped} skipped` : "";
  return `${nav.position + 1} / ${nav.total}, ${nav.done} done${skipped}`;
}

/** Previous / next / skip and where we are; shown only in a dataset session. */
export class NavigationBar {
  readonly el = h("div", "crowdseg-navigation");
  private readonly previous: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly skip: HTMLButtonElement;
  private readonly position = h("span", "crowdseg-position");
  private readonly name = h("span", "crowdseg-image-name");
  private readonly problem = h("span", "crowdseg-navigation-problem");
  private state: NavigationState | null = null;

  constructor(navigate: (action: NavigationAction) => void) {
    this.previous = button("crowdseg-previous", "‹ Previous", () => navigate("previous"));
    this.next = button("crowdseg-next", "Next ›", () => navigate("next"));
    this.skip = button("crowdseg-skip", "Skip", () => navigate("skip"));
    this.previous.title = "Previous image (,)";
    this.next.title = "Done with this image: save it as done and go to the next (.)";
    this.skip.title = "Skip this image (s)";
    this.problem.setAttribute("role", "alert");
    this.el.append(this.previous, this.next, this.skip, this.position, this.name, this.problem);
    this.el.hidden = true;
  }

  /** Is navigation in use (a dataset session)? */
  get active(): boolean {
    return this.state !== null;
  }

  update(value: unknown): void {
    this.state = isNavigation(value) ? value : null;
    const nav = this.state;
    this.el.hidden = nav === null;
    if (nav === null) return;
    this.position.textContent = positionText(nav);
    this.name.textContent = nav.name;
    this.name.title = nav.name;
    this.el.dataset.status = nav.status;
    this.previous.disabled = nav.position === 0;
    this.problem.textContent = nav.problem;
    this.problem.hidden = nav.problem === "";
  }
}
