import type { Editor } from "../editor";
import type { Rect } from "../core/rect";
import { TOOL_FACTORIES } from "./index";
import type { ImagePoint, PreviewPainter, Tool, ToolContext } from "./tool";

/** What the tools need from the view: no DOM, so node tests give their own. */
export interface ToolView {
  /** Pixels in `rect` changed: re-render them. */
  invalidate(rect: Rect | null): void;
  /** A tool's preview changed: redraw it. */
  requestPreview(): void;
  /** Image pixels within which a click hits a point (a few screen pixels at the current zoom). */
  readonly hitRadius: number;
}

/** The tools' view of the editor: its buffer and choices, dirty rects to the history and the view. */
export function createToolContext(editor: Editor, view: ToolView): ToolContext {
  return {
    get buffer() {
      if (editor.buffer === null) throw new Error("no image is shown: a tool cannot paint yet");
      return editor.buffer;
    },
    get radius() {
      return editor.radius;
    },
    get preserve() {
      return editor.preserve;
    },
    get hitRadius() {
      return view.hitRadius;
    },
    instanceId: () => editor.paintId(),
    selectedId: () => editor.selectedId,
    markDirty: (rect) => {
      editor.touch(rect);
      view.invalidate(rect);
    },
    commit: () => editor.commitEdit(),
    requestPreview: () => view.requestPreview(),
  };
}

/**
 * Every tool, the active one, and the pointer input for them: a press
 * opens the editor's stroke bracket, a release closes it (one undo step, one
 * "committed"); the stage calls `down` / `move` / `up` in image pixels.
 */
export class Toolbox {
  readonly tools: Tool[];
  readonly context: ToolContext;

  constructor(
    private readonly editor: Editor,
    view: ToolView,
    factories: ReadonlyArray<() => Tool> = TOOL_FACTORIES,
  ) {
    this.tools = factories.map((create) => create());
    this.context = createToolContext(editor, view);
  }

  get active(): Tool {
    return this.tools.find((tool) => tool.name === this.editor.toolName) ?? this.tools[0];
  }

  /** No stroke starts while an image loads. */
  down(p: ImagePoint): void {
    if (this.editor.buffer === null || this.editor.stroking) return;
    this.editor.beginStroke();
    this.active.pointerDown(p, this.context);
  }

  move(p: ImagePoint): void {
    if (this.editor.stroking) this.active.pointerMove(p, this.context);
  }

  up(p: ImagePoint): void {
    if (!this.editor.stroking) return;
    this.active.pointerUp(p, this.context);
    this.editor.endStroke();
  }

  previewRadius(): number | null {
    return this.active.previewRadius?.(this.context) ?? null;
  }

  drawPreview(painter: PreviewPainter, pointer: ImagePoint | null): void {
    this.active.drawPreview?.(painter, pointer);
  }

  /** The editor's tool changed from `previous`: that tool drops anything unfinished. */
  switchedFrom(previous: string): void {
    if (previous === this.editor.toolName) return;
    this.tools.find((tool) => tool.name === previous)?.cancel?.(this.context);
    this.context.requestPreview();
  }

  /** Another image (or the view closes): every tool drops anything unfinished. */
  cancelAll(): void {
    for (const tool of this.tools) tool.cancel?.(this.context);
  }
}
