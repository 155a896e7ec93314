import { describe, expect, it } from "vitest";
import { CHANGE_COLORS, Change, Review, sameStates } from "./review";

// A 4x3 image starting with two instances: red (id 1) on the left, blue (id 2) on the right.
const RED = "#d62728";
const BLUE = "#1f77b4";
const GREEN = "#2ca02c";
const START = Uint16Array.from([
  1, 1, 0, 2,
  1, 1, 0, 2,
  0, 0, 0, 2,
]);

function review(): Review {
  const r = new Review(START, [RED, BLUE]);
  r.setInstances([RED, BLUE]);
  r.measure(START);
  return r;
}

describe("Review", () => {
  it("starts with every starting instance unreviewed, and knows only those", () => {
    const r = review();
    expect([r.state(RED), r.state(BLUE)]).toEqual(["unreviewed", "unreviewed"]);
    expect(r.states()).toEqual({});
    expect(r.isStarting(RED)).toBe(true);
    expect(r.isStarting(GREEN)).toBe(false);
  });

  it("an instance whose pixels changed is edited; changed back, it is what it was before", () => {
    const r = review();
    r.accept(RED);
    const current = START.slice();
    current[2] = 1; // red grows by one pixel
    r.measure(current);
    expect(r.states()).toEqual({ [RED]: "edited" });
    r.measure(START); // undo
    expect(r.states()).toEqual({ [RED]: "accepted" });
  });

  it("a pixel taken by another instance edits both; one taken by a new instance edits the loser", () => {
    const r = review();
    const current = START.slice();
    current[1] = 2; // blue takes a red pixel
    r.measure(current);
    expect(r.states()).toEqual({ [RED]: "edited", [BLUE]: "edited" });

    r.setInstances([RED, BLUE, GREEN]);
    const painted = START.slice();
    painted[3] = 3; // a new green instance takes a blue pixel
    r.measure(painted);
    expect(r.states()).toEqual({ [BLUE]: "edited" });
  });

  it("a deleted starting instance is rejected, and back when the deletion is undone", () => {
    const r = review();
    r.setInstances([BLUE]); // red deleted: blue is id 1 now
    const current = START.map((id) => (id === 1 ? 0 : id === 2 ? 1 : 0));
    r.measure(current);
    expect(r.states()).toEqual({ [RED]: "rejected" });
    expect(r.counts()).toEqual({ unreviewed: 1, accepted: 0, rejected: 1, edited: 0 });
    r.setInstances([RED, BLUE]);
    r.measure(START);
    expect(r.states()).toEqual({});
  });

  it("accept all accepts only the unreviewed ones", () => {
    const r = review();
    const current = START.slice();
    current[0] = 0;
    r.measure(current);
    expect(r.acceptAll()).toBe(1);
    expect(r.states()).toEqual({ [RED]: "edited", [BLUE]: "accepted" });
    expect(r.acceptAll()).toBe(0);
  });

  it("loads the reviewer's decisions from review_states; only accepted is a decision", () => {
    const r = review();
    r.load({ [BLUE]: "accepted", [RED]: "rejected", "#123456": "accepted" });
    expect(r.states()).toEqual({ [BLUE]: "accepted" });
    r.load({}); // reset from Python
    expect(r.states()).toEqual({});
  });

  it("an acceptance under an edit survives loading the edited state, and shows again on undo", () => {
    const r = review();
    r.accept(RED);
    const current = START.slice();
    current[2] = 1;
    r.measure(current);
    r.load(r.states()); // our own write coming back
    r.measure(START);
    expect(r.states()).toEqual({ [RED]: "accepted" });
  });

  it("renders added, removed and moved pixels of a rect, transparent elsewhere", () => {
    const r = review();
    r.setInstances([BLUE, GREEN]); // red deleted, green new
    const current = Uint16Array.from([
      0, 0, 2, 1,
      0, 0, 0, 2,
      0, 0, 0, 1,
    ]);
    const out = new Uint32Array(12).fill(7);
    r.renderChanges(current, 4, { x0: 0, y0: 0, x1: 4, y1: 2 }, out);
    const [none, added, removed, moved] = [Change.None, Change.Added, Change.Removed, Change.Moved].map(
      (k) => CHANGE_COLORS[k],
    );
    expect(Array.from(out)).toEqual([
      removed, removed, added, none,
      removed, removed, none, moved,
      7, 7, 7, 7, // outside the rect: untouched
    ]);
  });
});

describe("sameStates", () => {
  it("ignores key order", () => {
    expect(sameStates({ a: "accepted", b: "edited" }, { b: "edited", a: "accepted" })).toBe(true);
    expect(sameStates({ a: "accepted" }, { a: "edited" })).toBe(false);
    expect(sameStates({ a: "accepted" }, {})).toBe(false);
  });
});
