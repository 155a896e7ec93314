import type { BoxMask } from "../core/mask";

/**
 * The pending mask of one view: an assist's candidates (best first) or the
 * magic wand's region, shown on its own layer and not in the label buffer
 * until accepted. DOM-free; the view follows `onChange`.
 */
export class PendingMask {
  candidates: BoxMask[] = [];
  index = 0;
  onChange: () => void = () => {};

  /** The candidate shown, or null when there is none. */
  get current(): BoxMask | null {
    return this.candidates[this.index] ?? null;
  }

  show(candidates: readonly BoxMask[]): void {
    this.candidates = [...candidates];
    this.index = 0;
    this.onChange();
  }

  /** The next (or previous) candidate, round; false when there is nothing to cycle. */
  cycle(step: 1 | -1): boolean {
    const n = this.candidates.length;
    if (n === 0) return false;
    this.index = (this.index + step + n) % n;
    this.onChange();
    return true;
  }

  clear(): void {
    if (this.candidates.length === 0) return;
    this.candidates = [];
    this.index = 0;
    this.onChange();
  }
}
