import { strokeOutline } from "../view/outline";
import type { ImagePoint, PreviewPainter, Tool, ToolContext } from "./tool";
import { drawDot, insideImage, PendingMaskTool } from "./pendingMaskTool";

/** A click prompt, or the box of a drag. */
type Prompt = { kind: "point"; x: number; y: number; positive: boolean } | { kind: "box"; box: [number, number, number, number] };

/** A press that moves at least this many image pixels (and screen hit radius) is a drag: a box. */
const DRAG_PIXELS = 3;

/**
 * Click-to-mask: a click is a positive prompt, Shift+click or a right click
 * a negative one, a drag a box (a new box replaces the old); each re-runs
 * the assist with all prompts so far.
 */
export class ClickToMaskTool extends PendingMaskTool {
  prompts: Prompt[] = [];
  private press: { start: ImagePoint; end: ImagePoint; negative: boolean } | null = null;

  pointerDown(p: ImagePoint, ctx: ToolContext): void {
    if (!insideImage(p, ctx)) return;
    this.press = { start: p, end: p, negative: this.services?.press.shift ?? false };
  }

  override pointerMove(p: ImagePoint, ctx: ToolContext): void {
    if (this.press === null) return;
    this.press.end = p;
    ctx.requestPreview();
  }

  override pointerUp(p: ImagePoint, ctx: ToolContext): void {
    const press = this.press;
    this.press = null;
    if (press === null) return;
    const { start } = press;
    const reach = Math.max(DRAG_PIXELS, ctx.hitRadius);
    if (Math.abs(p.x - start.x) >= reach || Math.abs(p.y - start.y) >= reach) {
      const x0 = Math.max(0, Math.min(start.x, p.x));
      const y0 = Math.max(0, Math.min(start.y, p.y));
      const x1 = Math.min(ctx.buffer.width, Math.max(start.x, p.x) + 1);
      const y1 = Math.min(ctx.buffer.height, Math.max(start.y, p.y) + 1);
      this.prompts = this.prompts.filter((prompt) => prompt.kind !== "box");
      this.prompts.push({ kind: "box", box: [x0, y0, x1, y1] });
    } else {
      this.prompts.push({ kind: "point", x: start.x, y: start.y, positive: !press.negative });
    }
    ctx.requestPreview();
    this.run();
  }

  /** A right click (the stage passes only the left button's presses): a negative prompt. */
  negativeClick(p: ImagePoint, ctx: ToolContext): void {
    if (!insideImage(p, ctx)) return;
    this.prompts.push({ kind: "point", x: p.x, y: p.y, positive: false });
    ctx.requestPreview();
    this.run();
  }

  private run(): void {
    if (this.prompts.length === 0) return;
    const points: Array<[number, number, boolean]> = [];
    let box: [number, number, number, number] | null = null;
    for (const prompt of this.prompts) {
      if (prompt.kind === "box") box = prompt.box;
      else points.push([prompt.x, prompt.y, prompt.positive]);
    }
    this.ask({ points, box, extreme_points: null });
  }

  protected hasPrompts(): boolean {
    return this.prompts.length > 0;
  }

  protected clearPrompts(): void {
    this.prompts = [];
    this.press = null;
  }

  protected dropLastPrompt(): void {
    this.prompts.pop();
    if (this.prompts.length > 0) return this.run();
    this.services?.assist?.cancel();
    this.pending?.clear();
  }

  drawPreview({ g, toScreen }: PreviewPainter): void {
    const boxes = this.prompts.flatMap((prompt) => (prompt.kind === "box" ? [prompt.box] : []));
    const press = this.press;
    if (press !== null && (press.end.x !== press.start.x || press.end.y !== press.start.y)) {
      const { start, end } = press;
      boxes.push([Math.min(start.x, end.x), Math.min(start.y, end.y), Math.max(start.x, end.x) + 1, Math.max(start.y, end.y) + 1]);
    }
    for (const [x0, y0, x1, y1] of boxes) {
      strokeOutline(g, [toScreen(x0, y0), toScreen(x1, y0), toScreen(x1, y1), toScreen(x0, y1)], true);
    }
    for (const prompt of this.prompts) {
      if (prompt.kind === "point") {
        drawDot(g, toScreen(prompt.x + 0.5, prompt.y + 0.5), prompt.positive ? "#4caf50" : "#f44336", prompt.positive ? "+" : "−");
      }
    }
  }
}

export const createClickToMask = (): Tool => new ClickToMaskTool("click-to-mask", "Click-to-mask", "k", true);
