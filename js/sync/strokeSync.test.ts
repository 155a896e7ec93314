import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeEncoder, fakeModel, settle, sentIds } from "../testing/fakes";
import { toolRig } from "../testing/toolRig";
import { EncoderUnavailable } from "./encoder";
import type { SageMakerValue } from "./value";
import { ValueSync } from "./valueSync";

/** The real tools, editor and sync wired as `render` wires them ("committed" → `schedule`), with a fake worker. */
function wired(width: number, height: number) {
  const rig = toolRig(width, height, ["Cat"]);
  const model = fakeModel();
  const worker = fakeEncoder();
  const sync = new ValueSync(model.model, () => rig.editor.committedDrawing(), () => {}, undefined, worker.encoder, 0);
  rig.editor.on("committed", () => sync.schedule());
  return { ...rig, ...model, ...worker, sync };
}

const CAT = "#2ca02c";

describe("a stroke reaches the sync once, whole", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("nothing is encoded while the pointer is down; one value after the release", async () => {
    const { toolbox, editor, buffer, requests, saves, attrs } = wired(6, 1);
    editor.setRadius(0);
    toolbox.down({ x: 0, y: 0 });
    toolbox.move({ x: 3, y: 0 });
    await settle();
    expect(requests.length).toBe(0);
    toolbox.up({ x: 3, y: 0 });
    await settle();
    expect(requests.length).toBe(1);
    requests[0].finish();
    await settle();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [CAT])).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(buffer.data)).toEqual([1, 1, 1, 1, 0, 0]);
    expect((attrs.value as SageMakerValue).instances).toEqual([{ color: CAT, label: "Cat" }]);
  });

  it("an encode that returns during the next stroke sends at once, and the re-encode holds only whole strokes", async () => {
    const { toolbox, editor, requests, saves, attrs, drag } = wired(6, 1);
    editor.setRadius(0);
    drag([[0, 0], [0, 0]]); // stroke 1
    await settle();
    drag([[1, 0], [1, 0]]); // stroke 2, committed while stroke 1 encodes
    toolbox.down({ x: 5, y: 0 }); // stroke 3 begins
    requests[0].finish();
    await settle();
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [CAT])).toEqual([1, 0, 0, 0, 0, 0]);
    expect(requests.length).toBe(2); // stroke 2, without the half of stroke 3
    expect(Array.from(requests[1].ids)).toEqual([1, 1, 0, 0, 0, 0]);
    requests[1].finish();
    await settle();
    expect(sentIds(attrs, [CAT])).toEqual([1, 1, 0, 0, 0, 0]);
    toolbox.up({ x: 5, y: 0 });
    await settle();
    requests[2].finish();
    await settle();
    expect(saves.length).toBe(3);
    expect(sentIds(attrs, [CAT])).toEqual([1, 1, 0, 0, 0, 1]);
  });

  it("a worker that fails during a stroke hands over to the main thread, which sends only whole strokes", async () => {
    const { toolbox, editor, requests, saves, attrs, drag, disposed } = wired(4, 1);
    editor.setRadius(0);
    drag([[0, 0], [0, 0]]);
    await settle();
    toolbox.down({ x: 3, y: 0 });
    requests[0].fail(new EncoderUnavailable("crashed"));
    await settle();
    expect(disposed()).toBe(1);
    expect(saves.length).toBe(1);
    expect(sentIds(attrs, [CAT])).toEqual([1, 0, 0, 0]);
    toolbox.up({ x: 3, y: 0 });
    await settle();
    expect(saves.length).toBe(2);
    expect(sentIds(attrs, [CAT])).toEqual([1, 0, 0, 1]);
  });

  it("undo, redo and 'Add instance' are each one send; a value from Python is none", async () => {
    const { editor, requests, drag, sync, buffer } = wired(4, 1);
    editor.setRadius(0);
    drag([[0, 0], [0, 0]]);
    await settle();
    requests[0].finish();
    editor.undo();
    await settle();
    requests[1].finish();
    editor.redo();
    await settle();
    requests[2].finish();
    editor.addInstance("Cat");
    await settle();
    expect(requests.length).toBe(4);
    expect(requests[3].colors.length).toBe(2);
    requests[3].finish();
    await settle();
    buffer.clear();
    editor.replaceInstances([]);
    sync.cancel();
    await settle();
    expect(requests.length).toBe(4);
  });
});
