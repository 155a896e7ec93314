import { StrokeTool } from "./stroke";

/** Paints background (id 0), whatever instance is underneath. */
export const createEraser = () => new StrokeTool("eraser", "Eraser", () => 0);
