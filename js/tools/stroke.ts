import { strokeSegment } from "../core/line";
import type { ImagePoint, Tool, ToolContext } from "./tool";

/**
 * A freehand stroke of the brush footprint: brush and eraser differ only in
 * the id they write and which pixels they may change, so both are this class.
 */
export class StrokeTool implements Tool {
  private last: ImagePoint | null = null;
  private id = 0;
  private owner = -1;

  constructor(
    readonly name: string,
    readonly title: string,
    readonly key: string,
    private readonly idFor: (ctx: ToolContext) => number | null,
    /** The overlap policy for this stroke (core/paint.ts). */
    private readonly ownerFor: (ctx: ToolContext, id: number) => number,
  ) {}

  pointerDown(p: ImagePoint, ctx: ToolContext): void {
    const id = this.idFor(ctx);
    if (id === null) return; // nothing to paint with (no labels)
    this.id = id;
    this.owner = this.ownerFor(ctx, id);
    this.last = p;
    ctx.markDirty(strokeSegment(ctx.buffer, p.x, p.y, p.x, p.y, ctx.radius, id, this.owner));
  }

  pointerMove(p: ImagePoint, ctx: ToolContext): void {
    if (this.last === null || (p.x === this.last.x && p.y === this.last.y)) return;
    ctx.markDirty(strokeSegment(ctx.buffer, this.last.x, this.last.y, p.x, p.y, ctx.radius, this.id, this.owner));
    this.last = p;
  }

  pointerUp(p: ImagePoint, ctx: ToolContext): void {
    if (this.last === null) return;
    this.pointerMove(p, ctx);
    this.last = null; // the editor's stroke bracket makes what it painted one undo step
  }

  previewRadius(ctx: ToolContext): number {
    return ctx.radius;
  }
}
