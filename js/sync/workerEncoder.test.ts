import { afterEach, describe, expect, it, vi } from "vitest";
import { EncoderUnavailable } from "./encoder";
import { createWorkerEncoder } from "./workerEncoder";

/** A worker that takes messages and never answers (a hung worker). */
class SilentWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  postMessage(): void {}
  terminate(): void {
    this.terminated = true;
  }
}

describe("createWorkerEncoder", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("is null where there are no workers (node, some webviews)", () => {
    vi.stubGlobal("Worker", undefined);
    expect(createWorkerEncoder()).toBeNull();
  });

  it("gives up on a worker that never answers, so the main thread takes over", async () => {
    vi.useFakeTimers();
    const workers: SilentWorker[] = [];
    vi.stubGlobal(
      "Worker",
      class extends SilentWorker {
        constructor() {
          super();
          workers.push(this);
        }
      },
    );
    vi.stubGlobal("URL", { createObjectURL: () => "blob:x", revokeObjectURL: () => {} });
    const encoder = createWorkerEncoder(1000)!;
    const result = encoder.encode(new Uint16Array(4), 2, 2, []);
    const settled = expect(result).rejects.toBeInstanceOf(EncoderUnavailable);
    await vi.advanceTimersByTimeAsync(999);
    expect(workers[0]!.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await settled;
    expect(workers[0]!.terminated).toBe(true);
    await expect(encoder.encode(new Uint16Array(4), 2, 2, [])).rejects.toThrow("did not answer within 1000 ms");
  });
});
