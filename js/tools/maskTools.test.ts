import { describe, expect, it } from "vitest";
import { AssistClient, type MessageModel } from "../assist/assistClient";
import { PendingMask } from "../assist/pending";
import type { AssistPrompt } from "../assist/protocol";
import type { BoxMask } from "../core/mask";
import { handleKey, type KeyTargets } from "../keyboard";
import { toolRig, type ToolRig } from "../testing/toolRig";
import type { AutoSegmentTool } from "./autoSegment";
import type { ClickToMaskTool } from "./clickToMask";
import type { AssistRequester, MaskToolServices } from "./pendingMaskTool";

/** A rect mask (x0..x1-1, y0..y1-1 set). */
function rect(x0: number, y0: number, x1: number, y1: number): BoxMask {
  return { x0, y0, width: x1 - x0, height: y1 - y0, data: new Uint8Array((x1 - x0) * (y1 - y0)).fill(1) };
}

/** A rig whose mask tools ask a recording assist; `answer` delivers candidates to the newest request. */
function maskRig(photo: Uint8Array | null = null) {
  const rig = toolRig(8, 6);
  const prompts: AssistPrompt[] = [];
  let handler: ((c: BoxMask[]) => void) | null = null;
  const assist: AssistRequester = {
    request: (prompt, h) => {
      prompts.push(prompt);
      handler = h;
    },
    cancel: () => void (handler = null),
  };
  const pending = new PendingMask();
  const press = { shift: false };
  const services: MaskToolServices = {
    editor: rig.editor,
    pending,
    assist,
    photo: () => (photo === null ? null : { data: photo, width: 8, height: 6 }),
    press,
  };
  for (const tool of rig.toolbox.tools) (tool as Partial<AutoSegmentTool>).connect?.(services);
  rig.editor.setAssistAvailable(true);
  const targets: KeyTargets = {
    editor: rig.editor,
    tools: rig.toolbox.tools,
    activeTool: () => rig.toolbox.active,
    context: rig.toolbox.context,
    zoomBy: () => {},
    fit: () => {},
    actualSize: () => {},
    toggleHelp: () => {},
  };
  const key = (k: string, shiftKey = false): boolean =>
    handleKey({ key: k, code: "", shiftKey, ctrlKey: false, metaKey: false, altKey: false } as KeyboardEvent, targets);
  const answer = (...candidates: BoxMask[]): void => handler?.(candidates);
  return { rig, prompts, pending, press, key, answer, hasRequest: () => handler !== null };
}

const rows = (rig: ToolRig): string[] =>
  Array.from({ length: rig.buffer.height }, (_, y) => Array.from(rig.buffer.data.subarray(y * 8, (y + 1) * 8)).join(""));

describe("auto-segment and the pending mask", () => {
  it("asks after four clicks, shows the answer pending and accepts it with Enter as one undo step", () => {
    const m = maskRig();
    expect(m.key("x")).toBe(true);
    expect(m.rig.editor.toolName).toBe("auto-segment");
    for (const [x, y] of [[2, 1], [2, 4], [1, 2], [5, 2]]) m.rig.click(x, y);
    expect(m.prompts).toEqual([{ points: [], box: null, extreme_points: [[2, 1], [2, 4], [1, 2], [5, 2]], instance_color: "" }]);
    expect(m.rig.commits()).toBe(0);
    m.answer(rect(1, 1, 6, 5), rect(0, 0, 2, 2));
    expect(m.pending.current).toEqual(rect(1, 1, 6, 5));
    expect(m.key("Tab")).toBe(true);
    expect(m.pending.index).toBe(1);
    expect(m.key("Tab", true)).toBe(true);
    expect(m.key("Enter")).toBe(true);
    expect(rows(m.rig)).toEqual(["00000000", "01111100", "01111100", "01111100", "01111100", "00000000"]);
    expect(m.rig.commits()).toBe(1);
    expect(m.pending.current).toBeNull();
    expect(m.rig.editor.toolName).toBe("auto-segment");
    expect(m.rig.editor.undo()).toBe(true);
    expect(m.rig.count(1)).toBe(0);
    expect(m.key("Enter")).toBe(false); // nothing pending: not the widget's key
  });

  it("Enter fills the selected instance while it is unpainted; Shift+Enter adds to the selected one", () => {
    const m = maskRig();
    m.rig.editor.addInstance("Dog"); // selected, no pixels
    m.key("x");
    for (const [x, y] of [[0, 0], [0, 1], [0, 0], [1, 0]]) m.rig.click(x, y);
    m.answer(rect(0, 0, 2, 2));
    m.key("Enter");
    expect(m.rig.editor.instances.map((i) => i.label)).toEqual(["Dog"]);
    for (const [x, y] of [[5, 4], [5, 5], [4, 4], [6, 4]]) m.rig.click(x, y);
    m.answer(rect(4, 4, 7, 6));
    expect(m.prompts[1].instance_color).toBe(m.rig.editor.instances[0].color); // the selected instance has pixels now
    m.key("Enter", true);
    expect(m.rig.editor.instances).toHaveLength(1);
    expect(m.rig.count(1)).toBe(4 + 6);
    for (const [x, y] of [[7, 0], [7, 1], [6, 0], [7, 0]]) m.rig.click(x, y);
    m.answer(rect(6, 0, 8, 2));
    m.key("Enter");
    expect(m.rig.editor.instances).toHaveLength(2);
    expect(m.rig.count(2)).toBe(4);
  });

  it("an accepted mask follows the overlap policy", () => {
    const m = maskRig();
    m.rig.drag([[0, 0], [7, 0]]); // brush r=5 paints everything: instance 1
    m.rig.editor.setRadius(0);
    m.rig.editor.setPreserve(true);
    m.rig.editor.addInstance("Dog"); // selected, unpainted: the mask fills it
    m.key("w");
    const photo = m.rig.toolbox.active as unknown as { pending: PendingMask };
    photo.pending.show([rect(2, 2, 4, 4)]);
    m.key("Enter");
    expect(m.rig.count(2)).toBe(0); // every pixel was Cat's: preserved
    m.rig.editor.setPreserve(false);
    photo.pending.show([rect(2, 2, 4, 4)]);
    m.key("Enter");
    expect(m.rig.count(2)).toBe(4);
    expect(m.rig.count(1)).toBe(48 - 4);
  });

  it("Backspace removes the last point, Esc discards, a fifth click starts the next object", () => {
    const m = maskRig();
    m.key("x");
    for (const [x, y] of [[2, 1], [2, 4], [1, 2], [5, 2]]) m.rig.click(x, y);
    m.answer(rect(1, 1, 6, 5));
    expect(m.key("Backspace")).toBe(true);
    const tool = m.rig.toolbox.active as AutoSegmentTool;
    expect(tool.points).toHaveLength(3);
    expect(m.pending.current).toBeNull();
    expect(m.hasRequest()).toBe(false);
    m.rig.click(5, 3);
    expect(m.prompts).toHaveLength(2);
    m.rig.click(0, 0);
    expect(tool.points).toEqual([{ x: 0, y: 0 }]);
    expect(m.key("Escape")).toBe(true);
    expect(tool.points).toEqual([]);
    expect(m.key("Escape")).toBe(false);
  });

  it("the model tools' keys do nothing while there is no assist; a tool key selects, never toggles", () => {
    const m = maskRig();
    m.rig.editor.setAssistAvailable(false);
    expect(m.key("k")).toBe(true);
    expect(m.rig.editor.toolName).toBe("brush");
    m.rig.editor.setAssistAvailable(true);
    m.key("k");
    m.key("k");
    expect(m.rig.editor.toolName).toBe("click-to-mask");
  });
});

describe("click-to-mask", () => {
  it("clicks are positive, Shift+clicks negative, a drag is the box; each re-runs with all prompts", () => {
    const m = maskRig();
    m.key("k");
    m.rig.click(3, 3);
    m.press.shift = true;
    m.rig.click(1, 1);
    m.press.shift = false;
    m.rig.drag([[6, 5], [4, 3], [0, 0]]);
    expect(m.prompts.map((p) => [p.points, p.box])).toEqual([
      [[[3, 3, true]], null],
      [[[3, 3, true], [1, 1, false]], null],
      [[[3, 3, true], [1, 1, false]], [0, 0, 7, 6]],
    ]);
    const tool = m.rig.toolbox.active as ClickToMaskTool;
    tool.negativeClick({ x: 7, y: 0 }, m.rig.toolbox.context);
    expect(m.prompts[3].points).toContainEqual([7, 0, false]);
    m.answer(rect(2, 2, 4, 4));
    m.key("Backspace");
    expect(m.prompts[4].points).toEqual([[3, 3, true], [1, 1, false]]);
    expect(m.prompts[4].box).toEqual([0, 0, 7, 6]);
  });
});

describe("the magic wand", () => {
  it("selects the region of the clicked color; a new tolerance redoes the click; Enter accepts", () => {
    const photo = new Uint8Array(8 * 6 * 4);
    for (let i = 0; i < 48; i++) photo.set([(i % 8) * 10, 0, 0, 255], i * 4); // red grows by 10 per column
    const m = maskRig(photo);
    m.key("w");
    expect(m.rig.editor.toolName).toBe("magic-wand");
    m.rig.editor.setTolerance(0);
    m.rig.click(0, 0);
    expect(m.pending.current).toMatchObject({ x0: 0, y0: 0, width: 1, height: 6 });
    m.key("]"); // tolerance 4: still one column
    m.key("]");
    m.key("]"); // 12: two columns either side of nothing: columns 0 and 1
    expect(m.rig.editor.tolerance).toBe(12);
    expect(m.pending.current).toMatchObject({ x0: 0, width: 2, height: 6 });
    m.key("Enter");
    expect(m.rig.count(1)).toBe(12);
  });
});

describe("the assist client", () => {
  function fakeModel() {
    const sent: unknown[] = [];
    let listener: ((content: unknown, buffers?: readonly unknown[]) => void) | null = null;
    const model: MessageModel = {
      send: (content) => void sent.push(content),
      on: (_e, cb) => void (listener = cb),
      off: () => void (listener = null),
    };
    return { model, sent, deliver: (content: unknown, buffers: unknown[] = []) => listener?.(content, buffers) };
  }
  const prompt: AssistPrompt = { points: [[1, 1, true]], box: null, extreme_points: null, instance_color: "" };

  it("hands on only the newest reply for the image shown and this view; errors go to the status", () => {
    const m = fakeModel();
    let image = 3;
    let now = 0;
    const client = new AssistClient(m.model, () => image, () => now);
    const got: BoxMask[][] = [];
    client.request(prompt, (c) => got.push(c));
    client.request(prompt, (c) => got.push(c));
    expect(m.sent).toEqual([
      { type: "assist", view: client.view, id: 1, image: 3, prompt },
      { type: "assist", view: client.view, id: 2, image: 3, prompt },
    ]);
    expect(client.status.state).toBe("running");
    const reply = (id: number, img = 3, view = client.view) => ({
      type: "assist_result", view, id, image: img, seconds: 0.25,
      candidates: [{ x0: 2, y0: 1, width: 3, height: 1, score: 0.9 }, { x0: 0, y0: 0, width: 0, height: 0, score: 0 }],
    });
    const bits = [new Uint8Array([0b101]).buffer, new DataView(new ArrayBuffer(0))];
    m.deliver(reply(1), bits); // superseded
    m.deliver(reply(2, 3, "another view"), bits);
    m.deliver(reply(2, 4), bits); // another image
    expect(got).toEqual([]);
    now = 40;
    m.deliver(reply(2), bits);
    expect(got).toEqual([[{ x0: 2, y0: 1, width: 3, height: 1, data: new Uint8Array([1, 0, 1]) }]]);
    expect(client.status).toEqual({ state: "idle", roundTripMs: 40, assistSeconds: 0.25, error: "" });
    client.request(prompt, (c) => got.push(c));
    image = 4; // the image changed before the reply
    m.deliver(reply(3), bits);
    expect(got).toHaveLength(1);
    image = 3;
    client.cancel();
    client.request(prompt, (c) => got.push(c));
    m.deliver({ type: "assist_result", view: client.view, id: 5, image: 3, error: "the assist raised KeyError: 'x'" });
    expect(client.status.state).toBe("error");
    expect(client.status.error).toContain("KeyError");
    m.deliver({ type: "assist_result", view: client.view, id: 5, image: 3, candidates: [{}] }, []);
    expect(got).toHaveLength(1);
  });
});
