import type { CandidatesHandler } from "../assist/assistClient";
import type { PendingMask } from "../assist/pending";
import type { AssistPrompt } from "../assist/protocol";
import type { AcceptMode, Editor } from "../editor";
import type { ImagePoint, PreviewPainter, Tool, ToolContext } from "./tool";

/** Where a model tool's prompts go (the view's `AssistClient`). */
export interface AssistRequester {
  request(prompt: AssistPrompt, handler: CandidatesHandler): void;
  cancel(): void;
}

/** The photo's pixels, RGBA, row-major, at the label buffer's size. */
export interface Photo {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** What the mask tools share in one view, given them by the view's assist binding. */
export interface MaskToolServices {
  readonly editor: Editor;
  readonly pending: PendingMask;
  /** Null when the view has no kernel to ask. */
  readonly assist: AssistRequester | null;
  /** The photo shown, or null while an image loads. */
  photo(): Photo | null;
  /** The modifiers of the last press on the image (the stage passes only its pixel). */
  readonly press: { shift: boolean };
}

/**
 * A tool whose result is a pending mask (auto-segment, click-to-mask, the
 * magic wand): it turns presses into prompts and shows the answer on the
 * pending layer; the keymap's Enter / Shift+Enter accept it through the
 * editor (one undo step), Tab cycles candidates, Backspace removes the last
 * prompt, Esc discards. The tool stays active for the next object.
 */
export abstract class PendingMaskTool implements Tool {
  protected services: MaskToolServices | null = null;

  constructor(
    readonly name: string,
    readonly title: string,
    readonly key: string,
    /** True for the tools that need Python's assist (disabled without one). */
    readonly needsAssist: boolean,
  ) {}

  connect(services: MaskToolServices): void {
    this.services = services;
  }

  abstract pointerDown(p: ImagePoint, ctx: ToolContext): void;
  pointerMove(_p: ImagePoint, _ctx: ToolContext): void {}
  pointerUp(_p: ImagePoint, _ctx: ToolContext): void {}
  abstract drawPreview(painter: PreviewPainter, pointer: ImagePoint | null): void;
  /** Whether there is a prompt to remove or discard. */
  protected abstract hasPrompts(): boolean;
  protected abstract clearPrompts(): void;
  /** Remove the newest prompt and show what the rest give. */
  protected abstract dropLastPrompt(ctx: ToolContext): void;

  get pending(): PendingMask | null {
    return this.services?.pending ?? null;
  }

  /** Enter (`new`) or Shift+Enter (`add`): the mask shown goes into the label buffer; false when none is shown. */
  accept(mode: AcceptMode, ctx: ToolContext): boolean {
    const mask = this.pending?.current ?? null;
    if (mask === null || this.services === null) return false;
    this.services.editor.acceptMask(mask, mode);
    this.reset(ctx);
    return true;
  }

  /** Tab / Shift+Tab: false when nothing is pending. */
  cycle(step: 1 | -1): boolean {
    return this.pending?.cycle(step) ?? false;
  }

  /** Backspace: false when there is no prompt. */
  removeLastPrompt(ctx: ToolContext): boolean {
    if (!this.hasPrompts()) return false;
    this.dropLastPrompt(ctx);
    ctx.requestPreview();
    return true;
  }

  /** Esc: prompts and pending mask dropped; false when there was neither. */
  discard(ctx: ToolContext): boolean {
    const had = this.hasPrompts() || (this.pending?.current ?? null) !== null;
    this.reset(ctx);
    return had;
  }

  cancel(ctx: ToolContext): void {
    this.reset(ctx);
  }

  protected reset(ctx: ToolContext): void {
    this.clearPrompts();
    this.services?.assist?.cancel();
    this.pending?.clear();
    ctx.requestPreview();
  }

  /** Ask the assist with `prompt` plus the selected instance (when it has pixels); show the answer. */
  protected ask(prompt: Omit<AssistPrompt, "instance_color">): void {
    const services = this.services;
    if (services === null || services.assist === null) return;
    const { editor } = services;
    const selected = editor.instanceById(editor.selectedId);
    const color = selected !== undefined && editor.pixelCount(selected.id) > 0 ? selected.color : "";
    services.assist.request({ ...prompt, instance_color: color }, (candidates) => services.pending.show(candidates));
  }
}

export function isPendingMaskTool(tool: Tool): tool is PendingMaskTool {
  return tool instanceof PendingMaskTool;
}

/** A numbered or marked dot at a pixel's center on the preview (CSS pixels). */
export function drawDot(g: CanvasRenderingContext2D, [x, y]: [number, number], fill: string, text = ""): void {
  g.beginPath();
  g.arc(x, y, text === "" ? 4 : 7, 0, 2 * Math.PI);
  g.fillStyle = fill;
  g.fill();
  g.lineWidth = 1.5;
  g.strokeStyle = "#000000";
  g.stroke();
  if (text === "") return;
  g.fillStyle = "#000000";
  g.font = "bold 10px sans-serif";
  g.textAlign = "center";
  g.textBaseline = "middle";
  g.fillText(text, x, y + 0.5);
}

export function insideImage(p: ImagePoint, ctx: ToolContext): boolean {
  return p.x >= 0 && p.y >= 0 && p.x < ctx.buffer.width && p.y < ctx.buffer.height;
}
