import { createAutoSegment } from "./autoSegment";
import { createBrush } from "./brush";
import { createClickToMask } from "./clickToMask";
import { createEraser } from "./eraser";
import { createFill } from "./fill";
import { createMagicWand } from "./magicWand";
import { createPolygon } from "./polygon";
import type { Tool } from "./tool";

/** Every tool, in toolbar order; adding a tool is its file plus one line here. */
export const TOOL_FACTORIES: ReadonlyArray<() => Tool> = [
  createBrush,
  createEraser,
  createPolygon,
  createFill,
  createMagicWand,
  createAutoSegment,
  createClickToMask,
];

export type { ImagePoint, PreviewPainter, Tool, ToolContext } from "./tool";
