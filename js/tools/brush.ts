import { StrokeTool } from "./stroke";

/** Paints the selected instance (creating the selected label's first one if needed). */
export const createBrush = () => new StrokeTool("brush", "Brush", (ctx) => ctx.instanceId());
