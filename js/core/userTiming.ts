/**
 * User Timing entries for main-thread work: the benchmarks read them, and
 * they show in the browser's performance panel. At most 200 of a name are
 * kept. A no-op where `performance.measure` is missing.
 */
export function measureSince(name: string, start: number): void {
  if (typeof performance === "undefined" || typeof performance.measure !== "function") return;
  if (performance.getEntriesByName(name).length >= 200) performance.clearMeasures(name);
  performance.measure(name, { start, end: performance.now() });
}

/** A User Timing mark (at most 200 of a name kept); a no-op where `performance.mark` is missing. */
export function mark(name: string): void {
  if (typeof performance === "undefined" || typeof performance.mark !== "function") return;
  if (performance.getEntriesByName(name).length >= 200) performance.clearMarks(name);
  performance.mark(name);
}
