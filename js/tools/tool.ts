import type { LabelBuffer } from "../core/labelBuffer";
import { PAINT_OVER } from "../core/paint";
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
  /** Overlap policy "preserve other instances": only background and the selected instance may change. */
  readonly preserve: boolean;
  /** Image pixels within which a click hits a point (a few screen pixels at the current zoom). */
  readonly hitRadius: number;
  /** The instance to paint with; creates the selected label's first instance if needed (null: no labels). */
  instanceId(): number | null;
  /** The selected instance (0: none yet). */
  selectedId(): number;
  /** Tell the view (and the undo history) which pixels changed, so only they are re-rendered. */
  markDirty(rect: Rect | null): void;
  /**
   * The tool's action is complete (polygon closed, area filled), even if it
   * changed no pixel: one undo step, time to sync. Under the pointer it takes
   * effect when the editor's stroke bracket closes at the release (nothing is
   * sent while the pointer is down); a stroke that painted needs no call.
   */
  commit(): void;
  /** The tool's preview (e.g. polygon vertices) changed: redraw it. */
  requestPreview(): void;
}

/** Draws a tool's preview in image coordinates on the screen-sized preview layer. */
export interface PreviewPainter {
  readonly g: CanvasRenderingContext2D;
  /** Image coordinates (pixel corners: pixel (x, y) spans x..x+1) → preview canvas coordinates. */
  toScreen(x: number, y: number): [number, number];
}

/**
 * One tool behind one interface. The view feeds it pointer events in image
 * pixels (and keys while the canvas has focus); the tool writes only to the buffer.
 */
export interface Tool {
  readonly name: string;
  /** Toolbar caption. */
  readonly title: string;
  /** Keyboard shortcut that picks the tool (shown in the toolbar tooltip and the help). */
  readonly key?: string;
  pointerDown(p: ImagePoint, ctx: ToolContext): void;
  pointerMove(p: ImagePoint, ctx: ToolContext): void;
  pointerUp(p: ImagePoint, ctx: ToolContext): void;
  /** The brush radius whose footprint to preview under the pointer, or null for none. */
  previewRadius?(ctx: ToolContext): number | null;
  /** Draw the tool's own preview (e.g. the polygon so far); `pointer` is the hovered pixel or null. */
  drawPreview?(painter: PreviewPainter, pointer: ImagePoint | null): void;
  /** A key pressed while the canvas has focus; true if the tool handled it. */
  keyDown?(key: string, ctx: ToolContext): boolean;
  /** Another tool was picked (or the view closes): drop anything unfinished. */
  cancel?(ctx: ToolContext): void;
}

/** The overlap policy (core/paint.ts) for writing `id` with this context's setting. */
export function ownerFor(ctx: ToolContext, id: number): number {
  return ctx.preserve ? id : PAINT_OVER;
}
