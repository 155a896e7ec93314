import { describe, expect, it } from "vitest";
import { and, column, diagonal, footprintMask, maskOf, minus, row, sum, toolRig } from "../testing/toolRig";
import type { PolygonTool } from "./polygon";

describe("the brush, through the toolbox, editor, history and label buffer", () => {
  it("a radius-5 stroke from (0,0) to (19,19) paints exactly 313 pixels (clipped at the corner)", () => {
    const rig = toolRig(40, 40);
    rig.editor.setRadius(5);
    rig.drag([[0, 0], [7, 7], [19, 19]]);
    const reference = footprintMask(40, 40, diagonal(0, 0, 20), 5);
    expect(sum(reference)).toBe(313);
    expect(maskOf(rig.buffer, 1)).toEqual(reference);
    expect(rig.editor.pixelCount(1)).toBe(313);
    expect(rig.editor.pixelCount(0)).toBe(40 * 40 - 313);
  });

  it("the same stroke away from the edges paints exactly 382 pixels, at every radius by the footprint rule", () => {
    for (const [r, n] of [[0, 20], [1, 104], [3, 208], [5, 382], [10, 900]]) {
      const rig = toolRig(100, 100);
      rig.editor.setRadius(r);
      rig.drag([[30, 30], [49, 49]]);
      const reference = footprintMask(100, 100, diagonal(30, 30, 20), r);
      expect(sum(reference)).toBe(n);
      expect(maskOf(rig.buffer, 1)).toEqual(reference);
    }
  });

  it("is one undo step and one 'committed', announced at the release and not before", () => {
    const rig = toolRig(30, 30);
    rig.editor.setRadius(2);
    rig.toolbox.down({ x: 3, y: 3 });
    rig.toolbox.move({ x: 10, y: 3 });
    rig.toolbox.move({ x: 20, y: 3 });
    expect(rig.editor.stroking).toBe(true);
    expect(rig.commits()).toBe(0);
    expect(rig.editor.canUndo).toBe(false);
    expect(maskOf(rig.buffer, 1)).toEqual(footprintMask(30, 30, row(3, 3, 20), 2)); // painted, not yet committed
    rig.toolbox.up({ x: 20, y: 3 });
    expect(rig.commits()).toBe(1);
    expect(rig.editor.undo()).toBe(true);
    expect(rig.count(1)).toBe(0);
    expect(rig.editor.canUndo).toBe(false); // the instance made by the stroke is no step of its own
  });

  it("undo and redo restore the exact counts of every id", () => {
    const rig = toolRig(40, 40);
    rig.editor.setRadius(3);
    rig.drag([[5, 5], [5, 30]]);
    const afterCat = Uint16Array.from(rig.buffer.data);
    rig.editor.addInstance("Dog");
    rig.drag([[0, 20], [39, 20]]);
    const dog = footprintMask(40, 40, row(20, 0, 39), 3);
    const cat = Uint8Array.from(afterCat, (v) => (v === 1 ? 1 : 0));
    expect(maskOf(rig.buffer, 2)).toEqual(dog);
    expect(rig.editor.pixelCount(2)).toBe(sum(dog));
    expect(rig.editor.pixelCount(1)).toBe(sum(minus(cat, dog)));
    rig.editor.undo();
    expect(rig.buffer.data).toEqual(afterCat);
    expect([rig.editor.pixelCount(0), rig.editor.pixelCount(1), rig.editor.pixelCount(2)]).toEqual([
      rig.count(0),
      rig.count(1),
      0,
    ]);
    rig.editor.redo();
    expect(maskOf(rig.buffer, 2)).toEqual(dog);
    expect(rig.editor.pixelCount(2)).toBe(sum(dog));
  });
});

describe("the eraser", () => {
  it("returns exactly its footprint to background", () => {
    const rig = toolRig(40, 40);
    rig.editor.setRadius(6);
    rig.drag([[0, 20], [39, 20]]);
    const painted = maskOf(rig.buffer, 1);
    rig.editor.setTool("eraser");
    rig.editor.setRadius(2);
    rig.drag([[20, 10], [20, 30]]);
    const erased = footprintMask(40, 40, column(20, 10, 30), 2);
    expect(maskOf(rig.buffer, 1)).toEqual(minus(painted, erased));
    expect(rig.editor.pixelCount(1)).toBe(sum(painted) - sum(and(painted, erased)));
    expect(rig.commits()).toBe(2);
  });
});

describe("the overlap policy", () => {
  /** A 40x40 image with a Cat band along row 10 (radius 4), then a new Dog instance selected. */
  function catBand(preserve: boolean) {
    const rig = toolRig(40, 40);
    rig.editor.setRadius(4);
    rig.drag([[0, 10], [39, 10]]);
    rig.editor.setPreserve(preserve);
    rig.editor.addInstance("Dog");
    return { rig, cat: maskOf(rig.buffer, 1) };
  }

  it("preserving, a Dog stroke over the Cat changes only background; the eraser only the Dog", () => {
    const { rig, cat } = catBand(true);
    rig.editor.setRadius(3);
    rig.drag([[15, 0], [15, 39]]);
    const dog = minus(footprintMask(40, 40, column(15, 0, 39), 3), cat);
    expect(maskOf(rig.buffer, 1)).toEqual(cat);
    expect(maskOf(rig.buffer, 2)).toEqual(dog);
    rig.editor.setTool("eraser");
    rig.drag([[0, 10], [39, 10]]); // across both
    expect(maskOf(rig.buffer, 1)).toEqual(cat);
    expect(maskOf(rig.buffer, 2)).toEqual(minus(dog, footprintMask(40, 40, row(10, 0, 39), 3)));
  });

  it("painting over (the default), the Dog takes the Cat's pixels", () => {
    const { rig, cat } = catBand(false);
    rig.drag([[15, 0], [15, 39]]);
    const dog = footprintMask(40, 40, column(15, 0, 39), 4);
    expect(maskOf(rig.buffer, 2)).toEqual(dog);
    expect(maskOf(rig.buffer, 1)).toEqual(minus(cat, dog));
  });
});

describe("the polygon", () => {
  it("a rectangle of clicked pixels (2,2)-(12,8) fills exactly 10 x 6 pixels, in one step, on Enter", () => {
    const rig = toolRig(20, 20);
    rig.editor.setTool("polygon");
    for (const [x, y] of [[2, 2], [12, 2], [12, 8], [2, 8]]) rig.click(x, y);
    expect(rig.commits()).toBe(0); // vertices are no edit
    expect(rig.count(1)).toBe(0);
    expect((rig.toolbox.active as PolygonTool).keyDown("Enter", rig.toolbox.context)).toBe(true);
    const inside = Uint8Array.from({ length: 400 }, (_, i) => (i % 20 >= 2 && i % 20 < 12 && i / 20 >= 2 && i / 20 < 8 ? 1 : 0));
    expect(maskOf(rig.buffer, 1)).toEqual(inside);
    expect(rig.commits()).toBe(1);
    rig.editor.undo();
    expect(rig.count(1)).toBe(0);
  });

  it("closed by clicking its first vertex, a right triangle fills the 55 pixels with x + y < 10", () => {
    const rig = toolRig(20, 20);
    rig.editor.setTool("polygon");
    for (const [x, y] of [[0, 0], [10, 0], [0, 10], [1, 0]]) rig.click(x, y); // (1, 0) is within hitRadius of (0, 0)
    const inside = Uint8Array.from({ length: 400 }, (_, i) => (i % 20 + Math.floor(i / 20) < 10 ? 1 : 0));
    expect(sum(inside)).toBe(55);
    expect(maskOf(rig.buffer, 1)).toEqual(inside);
    expect(rig.commits()).toBe(1); // announced at the release of the closing click
  });
});

describe("the fill bucket", () => {
  it("fills exactly the 4-connected region left of a wall, and not across it", () => {
    const rig = toolRig(30, 20);
    rig.editor.setRadius(0);
    rig.drag([[10, 0], [10, 19]]); // a one-pixel wall of Cat
    rig.editor.addInstance("Dog");
    rig.editor.setTool("fill");
    rig.click(3, 3);
    expect(rig.count(2)).toBe(10 * 20);
    expect(rig.count(1)).toBe(20);
    expect(rig.count(0)).toBe(19 * 20);
    expect(rig.editor.pixelCount(2)).toBe(200);
    rig.editor.undo();
    expect([rig.count(0), rig.count(1), rig.count(2)]).toEqual([29 * 20, 20, 0]);
  });

  it("preserving, a fill on another instance changes nothing but still is one action", () => {
    const rig = toolRig(30, 20);
    rig.editor.setRadius(0);
    rig.drag([[10, 0], [10, 19]]);
    rig.editor.addInstance("Dog");
    rig.editor.setPreserve(true);
    rig.editor.setTool("fill");
    const before = Uint16Array.from(rig.buffer.data);
    const commits = rig.commits();
    rig.click(10, 5);
    expect(rig.buffer.data).toEqual(before);
    expect(rig.commits()).toBe(commits + 1);
  });
});
