import { createBrush } from "./brush";
import { createEraser } from "./eraser";
import type { Tool } from "./tool";

/** Every tool, in toolbar order; adding a tool is its file plus one line here. */
export const TOOL_FACTORIES: ReadonlyArray<() => Tool> = [
  createBrush,
  createEraser,
];

export type { ImagePoint, Tool, ToolContext } from "./tool";
