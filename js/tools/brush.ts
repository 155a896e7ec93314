import { StrokeTool } from "./stroke";
import { ownerFor } from "./tool";

/** Paints the selected instance (creating the selected label's first one if needed). */
export const createBrush = () => new StrokeTool("brush", "Brush", "b", (ctx) => ctx.instanceId(), ownerFor);
