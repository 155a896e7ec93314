import { StrokeTool } from "./stroke";
import { ownerFor } from "./tool";

/** Paints background (id 0); when preserving other instances, it erases only the selected one. */
export const createEraser = () => new StrokeTool("eraser", "Eraser", "e", () => 0, (ctx) => ownerFor(ctx, ctx.selectedId()));
