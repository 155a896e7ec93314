import type { BoxMask } from "../core/mask";
import { readReply, type AssistPrompt, type AssistReply, type AssistRequest } from "./protocol";

/** The part of an anywidget model custom messages use (`model.send`, "msg:custom"). */
export interface MessageModel {
  send(content: unknown, callbacks?: unknown, buffers?: ArrayBuffer[]): void;
  on(event: "msg:custom", callback: (content: unknown, buffers?: readonly unknown[]) => void): void;
  off(event: "msg:custom", callback: (content: unknown, buffers?: readonly unknown[]) => void): void;
}

export type AssistState = "idle" | "running" | "error";

/** What the status shows: the state, the last call's time (round trip and inside the assist), the error. */
export interface AssistStatus {
  state: AssistState;
  /** Prompt sent → reply in, in ms (null before the first reply). */
  roundTripMs: number | null;
  /** Time inside the assist, as Python measured it, in seconds. */
  assistSeconds: number | null;
  error: string;
}

/** The newest request's candidates arrive here (best first; empty: nothing found). */
export type CandidatesHandler = (candidates: BoxMask[]) => void;

let views = 0;

/** The User Timing entry of each reply handled. */
export const REPLY_TIMING = "crowdseg-assist-reply";

/**
 * One view's assist requests: each prompt goes to Python with a fresh id;
 * only the reply to the newest one, for the image shown, is handed on
 * (replies superseded by a newer prompt, for another image or for another
 * view are dropped). Never blocks: replies arrive as messages.
 */
export class AssistClient {
  readonly view = `view-${Date.now().toString(36)}-${++views}-${Math.random().toString(36).slice(2, 8)}`;
  status: AssistStatus = { state: "idle", roundTripMs: null, assistSeconds: null, error: "" };
  /** The status changed. */
  onStatus: (status: AssistStatus) => void = () => {};
  private id = 0;
  private waiting: { id: number; image: number; sent: number; handler: CandidatesHandler } | null = null;
  private readonly listener = (content: unknown, buffers?: readonly unknown[]): void => this.received(content, buffers);

  constructor(
    private readonly model: MessageModel,
    /** The `_image_serial` of the image shown. */
    private readonly image: () => number,
    private readonly now: () => number = () => performance.now(),
  ) {
    model.on("msg:custom", this.listener);
  }

  /** Ask the assist; `handler` gets the candidates unless a newer request (or `cancel`) comes first. */
  request(prompt: AssistPrompt, handler: CandidatesHandler): void {
    const message: AssistRequest = { type: "assist", view: this.view, id: ++this.id, image: this.image(), prompt };
    this.waiting = { id: message.id, image: message.image, sent: this.now(), handler };
    this.setStatus({ ...this.status, state: "running", error: "" });
    this.model.send(message);
  }

  /** Drop the request in flight (its prompts were discarded, the tool or the image changed). */
  cancel(): void {
    if (this.waiting === null) return;
    this.waiting = null;
    this.id++;
    this.setStatus({ ...this.status, state: this.status.error === "" ? "idle" : "error" });
  }

  get running(): boolean {
    return this.waiting !== null;
  }

  private received(content: unknown, buffers?: readonly unknown[]): void {
    const start = performance.now();
    this.handle(content, buffers);
    // The view's own work on a reply (decode, pending layer drawn), for the benchmarks
    // and the browser's performance panel.
    if (typeof performance.measure !== "function") return;
    if (performance.getEntriesByName(REPLY_TIMING).length >= 200) performance.clearMeasures(REPLY_TIMING);
    performance.measure(REPLY_TIMING, { start, end: performance.now() });
  }

  private handle(content: unknown, buffers?: readonly unknown[]): void {
    let reply: AssistReply | null;
    try {
      reply = readReply(content, buffers ?? []);
    } catch (err) {
      if ((content as { view?: unknown }).view === this.view) this.fail((err as Error).message);
      return;
    }
    const waiting = this.waiting;
    if (reply === null || reply.view !== this.view || waiting === null) return;
    if (reply.id !== waiting.id || reply.image !== waiting.image || reply.image !== this.image()) return;
    this.waiting = null;
    const roundTripMs = this.now() - waiting.sent;
    if (reply.kind === "error") {
      this.setStatus({ state: "error", roundTripMs, assistSeconds: null, error: reply.message });
      return;
    }
    this.setStatus({ state: "idle", roundTripMs, assistSeconds: reply.seconds, error: "" });
    waiting.handler(reply.candidates);
  }

  private fail(message: string): void {
    this.waiting = null;
    this.setStatus({ ...this.status, state: "error", error: message });
  }

  private setStatus(status: AssistStatus): void {
    this.status = status;
    this.onStatus(status);
  }

  dispose(): void {
    this.waiting = null;
    this.model.off("msg:custom", this.listener);
  }
}
