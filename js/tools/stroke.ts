import { strokeSegment } from "../core/line";
import type { ImagePoint, Tool, ToolContext } from "./tool";

/**
 * A freehand stroke of the brush footprint: brush and eraser differ only in
 * the id they write, so both are this class.
 */
export class StrokeTool implements Tool {
  private last: ImagePoint | null = null;
  private id = 0;

  constructor(
    readonly name: string,
    readonly title: string,
    private readonly idFor: (ctx: ToolContext) => number | null,
  ) {}

  pointerDown(p: ImagePoint, ctx: ToolContext): void {
    const id = this.idFor(ctx);
    if (id === null) return; // nothing to paint with (no labels)
    this.id = id;
    this.last = p;
    ctx.markDirty(strokeSegment(ctx.buffer, p.x, p.y, p.x, p.y, ctx.radius, id));
  }

  pointerMove(p: ImagePoint, ctx: ToolContext): void {
    if (this.last === null || (p.x === this.last.x && p.y === this.last.y)) return;
    ctx.markDirty(strokeSegment(ctx.buffer, this.last.x, this.last.y, p.x, p.y, ctx.radius, this.id));
    this.last = p;
  }

  pointerUp(p: ImagePoint, ctx: ToolContext): void {
    if (this.last === null) return;
    this.pointerMove(p, ctx);
    this.last = null;
    ctx.commit();
  }

  previewRadius(ctx: ToolContext): number {
    return ctx.radius;
  }
}
