import type { ImagePoint, PreviewPainter, Tool, ToolContext } from "./tool";
import { drawDot, insideImage, PendingMaskTool } from "./pendingMaskTool";

/**
 * Auto-segment (SageMaker's): click an object's four extreme points (top,
 * bottom, left, right, in any order), shown as numbered dots; after the
 * fourth the assist draws the pending mask. A fifth click starts the next object.
 */
export class AutoSegmentTool extends PendingMaskTool {
  points: ImagePoint[] = [];

  pointerDown(p: ImagePoint, ctx: ToolContext): void {
    if (!insideImage(p, ctx)) return;
    if (this.points.length === 4) this.reset(ctx);
    this.points.push({ x: p.x, y: p.y });
    ctx.requestPreview();
    if (this.points.length === 4) this.run();
  }

  private run(): void {
    this.ask({ points: [], box: null, extreme_points: this.points.map((p) => [p.x, p.y]) });
  }

  protected hasPrompts(): boolean {
    return this.points.length > 0;
  }

  protected clearPrompts(): void {
    this.points = [];
  }

  protected dropLastPrompt(): void {
    this.points.pop();
    this.services?.assist?.cancel();
    this.pending?.clear();
  }

  drawPreview({ g, toScreen }: PreviewPainter): void {
    this.points.forEach((p, i) => drawDot(g, toScreen(p.x + 0.5, p.y + 0.5), "#ffeb3b", String(i + 1)));
  }
}

export const createAutoSegment = (): Tool => new AutoSegmentTool("auto-segment", "Auto-segment", "x", true);
