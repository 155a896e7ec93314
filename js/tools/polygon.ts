import { fillPolygon } from "../core/polygon";
import { strokeOutline } from "../view/outline";
import type { ImagePoint, PreviewPainter, Tool, ToolContext } from "./tool";
import { ownerFor } from "./tool";

/**
 * Polygon: click vertices; close by clicking the first vertex again or with
 * Enter; Backspace removes the last vertex, Esc drops the polygon. Filled by
 * the scanline rule of core/polygon.ts (pixel centers inside, even-odd).
 */
export class PolygonTool implements Tool {
  readonly name = "polygon";
  readonly title = "Polygon";
  readonly key = "p";
  vertices: ImagePoint[] = [];

  pointerDown(p: ImagePoint, ctx: ToolContext): void {
    const first = this.vertices[0];
    if (this.vertices.length >= 3 && Math.hypot(p.x - first.x, p.y - first.y) <= ctx.hitRadius) {
      this.close(ctx);
      return;
    }
    const last = this.vertices[this.vertices.length - 1];
    if (last === undefined || last.x !== p.x || last.y !== p.y) this.vertices.push({ x: p.x, y: p.y });
    ctx.requestPreview();
  }

  pointerMove(): void {}

  pointerUp(): void {}

  /** Fill the polygon with the selected instance: one undo step. */
  close(ctx: ToolContext): void {
    const vertices = this.vertices;
    this.vertices = [];
    ctx.requestPreview();
    if (vertices.length < 3) return;
    const id = ctx.instanceId();
    if (id === null) return;
    ctx.markDirty(fillPolygon(ctx.buffer, vertices, id, ownerFor(ctx, id)));
    ctx.commit();
  }

  keyDown(key: string, ctx: ToolContext): boolean {
    if (this.vertices.length === 0) return false;
    if (key === "Enter") this.close(ctx);
    else if (key === "Escape") this.cancel(ctx);
    else if (key === "Backspace") {
      this.vertices.pop();
      ctx.requestPreview();
    } else return false;
    return true;
  }

  cancel(ctx: ToolContext): void {
    this.vertices = [];
    ctx.requestPreview();
  }

  drawPreview({ g, toScreen }: PreviewPainter, pointer: ImagePoint | null): void {
    const vs = this.vertices;
    if (vs.length === 0) return;
    // Vertices are pixel centers; sizes in CSS pixels (the preview scales by devicePixelRatio).
    const pts = vs.map((v) => toScreen(v.x + 0.5, v.y + 0.5));
    if (pointer !== null) pts.push(toScreen(pointer.x + 0.5, pointer.y + 0.5));
    strokeOutline(g, pts, false);
    pts.slice(0, vs.length).forEach(([x, y], i) => {
      g.beginPath();
      g.arc(x, y, i === 0 ? 5 : 3, 0, 2 * Math.PI);
      g.fillStyle = i === 0 ? "#ffeb3b" : "#ffffff";
      g.fill();
      g.lineWidth = 1;
      g.strokeStyle = "#000000";
      g.stroke();
    });
  }
}

export const createPolygon = (): Tool => new PolygonTool();
