/**
 * What one action changed, as runs of equal ids over the pixels that really
 * changed: run k sets `lengths[k]` pixels from flat index `starts[k]` (y *
 * width + x) to `ids[k]`. Applied in order, runs give the label map after the
 * action; their size follows the changed pixels, not the rows crossed (a fill
 * of most of the image is one run per row).
 */
export interface LabelRuns {
  readonly starts: Uint32Array;
  readonly lengths: Uint32Array;
  readonly ids: Uint16Array;
}

/**
 * What one undo step did to the label map, as the kernel replays it: runs
 * set ids; `remove` deletes an instance (its pixels to 0, higher ids down
 * one); `restore` undoes that (higher ids up one, its pixels `at` back).
 */
export type LabelChange = LabelRuns | { remove: number } | { restore: number; at: LabelRuns };

/** Runs growing by doubling; `take` trims them to their length. */
export class RunWriter {
  private starts = new Uint32Array(256);
  private lengths = new Uint32Array(256);
  private ids = new Uint16Array(256);
  private n = 0;

  push(start: number, length: number, id: number): void {
    if (this.n === this.starts.length) this.grow();
    this.starts[this.n] = start;
    this.lengths[this.n] = length;
    this.ids[this.n] = id;
    this.n++;
  }

  /** `push`, but a run that continues the last one (next pixel, same id) lengthens it instead. */
  add(start: number, length: number, id: number): void {
    const k = this.n - 1;
    if (k >= 0 && this.ids[k] === id && this.starts[k] + this.lengths[k] === start) this.lengths[k] += length;
    else this.push(start, length, id);
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Uint32Array(size);
    const lengths = new Uint32Array(size);
    const ids = new Uint16Array(size);
    starts.set(this.starts);
    lengths.set(this.lengths);
    ids.set(this.ids);
    this.starts = starts;
    this.lengths = lengths;
    this.ids = ids;
  }

  take(): LabelRuns {
    const n = this.n;
    return { starts: this.starts.slice(0, n), lengths: this.lengths.slice(0, n), ids: this.ids.slice(0, n) };
  }
}

/** The pixels of instance `id` (ascending flat indices, as `removeId` lists them) as runs. */
export function pixelRuns(pixels: Uint32Array, id: number): LabelRuns {
  const out = new RunWriter();
  let i = 0;
  while (i < pixels.length) {
    const start = pixels[i];
    let j = i + 1;
    while (j < pixels.length && pixels[j] === start + (j - i)) j++;
    out.push(start, j - i, id);
    i = j;
  }
  return out.take();
}

/** Apply `runs` to a label map (the kernel does the same in Python). */
export function applyRuns(data: Uint16Array, runs: LabelRuns): void {
  const { starts, lengths, ids } = runs;
  for (let k = 0; k < starts.length; k++) data.fill(ids[k], starts[k], starts[k] + lengths[k]);
}

/** Apply one change to a label map (the kernel's replay, in Python, is the same). */
export function applyChange(data: Uint16Array, change: LabelChange): void {
  if ("starts" in change) return applyRuns(data, change);
  if ("remove" in change) {
    for (let i = 0; i < data.length; i++) if (data[i] >= change.remove) data[i] = data[i] === change.remove ? 0 : data[i] - 1;
    return;
  }
  for (let i = 0; i < data.length; i++) if (data[i] >= change.restore) data[i]++;
  applyRuns(data, change.at);
}
