import type { AssistStatus } from "../assist/assistClient";
import { h } from "./dom";

/**
 * `.crowdseg-assist-status[data-state="idle|running|error"]`: the assist
 * running, how long the last call took (`data-round-trip-ms`, and
 * `data-assist-seconds` inside the assist), or why it failed.
 */
export class AssistStatusView {
  readonly el = h("span", "crowdseg-assist-status");

  constructor() {
    this.el.setAttribute("role", "status");
    this.show({ state: "idle", roundTripMs: null, assistSeconds: null, error: "" });
  }

  show(status: AssistStatus): void {
    const { el } = this;
    el.dataset.state = status.state;
    if (status.roundTripMs !== null) el.dataset.roundTripMs = status.roundTripMs.toFixed(1);
    if (status.assistSeconds !== null) el.dataset.assistSeconds = String(status.assistSeconds);
    if (status.state === "running") el.textContent = "Assist running…";
    else if (status.state === "error") el.textContent = `Assist failed: ${status.error}`;
    else el.textContent = status.roundTripMs === null ? "" : `Assist: ${(status.roundTripMs / 1000).toFixed(2)} s`;
    el.title = el.textContent;
    el.hidden = el.textContent === "";
  }
}
