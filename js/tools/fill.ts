import { floodFill } from "../core/floodFill";
import type { ImagePoint, Tool, ToolContext } from "./tool";
import { ownerFor } from "./tool";

/** Fill bucket: the 4-connected region of the clicked pixel's id becomes the selected instance. */
export function createFill(): Tool {
  return {
    name: "fill",
    title: "Fill",
    key: "f",
    pointerDown(p: ImagePoint, ctx: ToolContext): void {
      const { buffer } = ctx;
      if (p.x < 0 || p.y < 0 || p.x >= buffer.width || p.y >= buffer.height) return;
      const id = ctx.instanceId();
      if (id === null) return;
      ctx.markDirty(floodFill(buffer, p.x, p.y, id, ownerFor(ctx, id)));
      ctx.commit();
    },
    pointerMove(): void {},
    pointerUp(): void {},
  };
}
