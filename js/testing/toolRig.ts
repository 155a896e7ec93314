/** The real editor, tools and label buffer without a DOM, for node tests: what `render` wires, minus the view. */
import { LabelBuffer } from "../core/labelBuffer";
import type { Rect } from "../core/rect";
import { Editor } from "../editor";
import type { ImagePoint } from "../tools/tool";
import { Toolbox, type ToolView } from "../tools/toolbox";

export interface ToolRig {
  editor: Editor;
  toolbox: Toolbox;
  buffer: LabelBuffer;
  /** Every rect the tools reported to the view. */
  invalidated: Array<Rect | null>;
  /** "committed" events so far. */
  commits(): number;
  /** Press at the first point, move through the others, release at the last (as the stage reports them). */
  drag(points: ReadonlyArray<[number, number]>): void;
  click(x: number, y: number): void;
  /** Pixels per id, counted afresh from the buffer. */
  count(id: number): number;
}

export function toolRig(width: number, height: number, labels: string[] = ["Cat", "Dog"]): ToolRig {
  const editor = new Editor();
  editor.setLabels(labels);
  const buffer = new LabelBuffer(width, height);
  editor.attach(buffer);
  const invalidated: Array<Rect | null> = [];
  const view: ToolView = { invalidate: (rect) => void invalidated.push(rect), requestPreview: () => {}, hitRadius: 1.5 };
  const toolbox = new Toolbox(editor, view);
  let commits = 0;
  editor.on("committed", () => void commits++);
  const at = ([x, y]: [number, number]): ImagePoint => ({ x, y });
  return {
    editor,
    toolbox,
    buffer,
    invalidated,
    commits: () => commits,
    drag(points) {
      toolbox.down(at(points[0]));
      for (const p of points.slice(1)) toolbox.move(at(p));
      toolbox.up(at(points[points.length - 1]));
    },
    click(x, y) {
      toolbox.down({ x, y });
      toolbox.up({ x, y });
    },
    count: (id) => buffer.data.reduce((n, v) => n + (v === id ? 1 : 0), 0),
  };
}

/**
 * The brush rule, written out independently of core/: pixel (x, y) is painted
 * when some path pixel (px, py) has (x - px)² + (y - py)² ≤ r² + r.
 */
export function footprintMask(width: number, height: number, path: ReadonlyArray<[number, number]>, r: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (path.some(([px, py]) => (x - px) ** 2 + (y - py) ** 2 <= r * r + r)) mask[y * width + x] = 1;
    }
  }
  return mask;
}

/** The pixels of `buffer` holding `id`, as a 0/1 mask. */
export function maskOf(buffer: LabelBuffer, id: number): Uint8Array {
  return Uint8Array.from(buffer.data, (v) => (v === id ? 1 : 0));
}

/** The pixels of a 45° path from (x0, y0), `n` pixels long (Bresenham's line is exact there). */
export function diagonal(x0: number, y0: number, n: number): Array<[number, number]> {
  return Array.from({ length: n }, (_, i): [number, number] => [x0 + i, y0 + i]);
}

/** The pixels of row y from x0 to x1 (both included). */
export function row(y: number, x0: number, x1: number): Array<[number, number]> {
  return Array.from({ length: x1 - x0 + 1 }, (_, i): [number, number] => [x0 + i, y]);
}

/** The pixels of column x from y0 to y1 (both included). */
export function column(x: number, y0: number, y1: number): Array<[number, number]> {
  return Array.from({ length: y1 - y0 + 1 }, (_, i): [number, number] => [x, y0 + i]);
}

export const sum = (mask: Uint8Array): number => mask.reduce((n, v) => n + v, 0);
export const and = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((v, i) => v & b[i]);
export const minus = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((v, i) => v & (1 - b[i]));
