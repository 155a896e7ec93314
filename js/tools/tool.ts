import type { LabelBuffer } from "../core/labelBuffer";
import type { Rect } from "../core/rect";

/** A pixel of the image (integers, may lie outside it while the pointer is captured). */
export interface ImagePoint {
  x: number;
  y: number;
}

/** What a tool may touch: the label buffer and the editor's current choices. */
export interface ToolContext {
  readonly buffer: LabelBuffer;
  readonly radius: number;
  /** The instance to paint with; creates the selected label's first instance if needed (null: no labels). */
  instanceId(): number | null;
  /** Tell the view which pixels changed, so only they are re-rendered. */
  markDirty(rect: Rect | null): void;
  /** An edit is complete (stroke ended, polygon closed, ...): time to sync. */
  commit(): void;
}

/**
 * One tool behind one interface, so polygon, fill, zoom, undo slot in later.
 * The view feeds it pointer events in image pixels; the tool writes only to the buffer.
 */
export interface Tool {
  readonly name: string;
  /** Toolbar caption. */
  readonly title: string;
  pointerDown(p: ImagePoint, ctx: ToolContext): void;
  pointerMove(p: ImagePoint, ctx: ToolContext): void;
  pointerUp(p: ImagePoint, ctx: ToolContext): void;
  /** The brush outline radius to preview under the pointer, or null for none. */
  previewRadius?(ctx: ToolContext): number | null;
}
