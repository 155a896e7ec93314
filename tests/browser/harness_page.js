// The harness page's fake anywidget model, bridged to a real Python widget.
// Python pushes trait changes with `window.__crowdseg.receive(diff)`;
// `save_changes()` sends the dirty traits to Python through the exposed
// `window.__crowdsegSave(diff)`, which runs the widget's real `set_state`.
// window.__sent counts saves sent, window.__acks the ones Python has applied.

import { BYTES, fromJson as fromWire, MemoryModel } from "/memory_model.js";

function toWire(value) {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const view = value instanceof ArrayBuffer ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    let raw = "";
    for (let i = 0; i < view.length; i += 0x8000) {
      raw += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
    }
    return { [BYTES]: btoa(raw) };
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

class FakeModel extends MemoryModel {
  constructor(state) {
    super(fromWire(state));
    this.dirty = new Set();
    this.messages = []; // what the view sent with model.send()
  }
  set(key, value) {
    this.dirty.add(key);
    super.set(key, value);
  }
  save_changes() {
    if (this.dirty.size === 0) return;
    const diff = {};
    for (const key of this.dirty) diff[key] = toWire(this.state[key]);
    this.dirty.clear();
    window.__sent += 1;
    window.__crowdsegSave(JSON.stringify(diff)).then(
      () => { window.__acks += 1; },
      (err) => { window.__errors.push(String(err)); window.__acks += 1; },
    );
  }
  send(content, callbacks, buffers) {
    this.messages.push({ content, buffers: buffers?.length ?? 0 });
  }
  /** Python changed traits: set them and fire change events, as the widget manager does. */
  receive(diff) {
    const keys = Object.keys(diff);
    for (const key of keys) this.state[key] = fromWire(diff[key]);
    for (const key of keys) this.emit(`change:${key}`);
    if (keys.length > 0) this.emit("change");
  }
}

window.__sent = 0;
window.__acks = 0;
window.__errors = [];
window.addEventListener("error", (e) => window.__errors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason)));

window.__crowdseg = {
  model: null,
  widget: null,
  cleanup: null,
  views: [], // cleanups of the views added with addView
  /** The anywidget render contract: initialize once, then render into el. */
  async mount(state, esmUrl) {
    const model = new FakeModel(state);
    this.model = model;
    const mod = await import(esmUrl);
    const widget = mod.default;
    this.widget = widget;
    const el = document.getElementById("root");
    await widget.initialize?.({ model });
    const cleanup = await widget.render?.({ model, el });
    this.cleanup = typeof cleanup === "function" ? cleanup : null;
  },
  /** Another view of the same model (a notebook showing the widget twice); returns its root's selector. */
  async addView() {
    const first = document.getElementById("root");
    const el = document.createElement("div");
    el.id = `root-${this.views.length + 2}`;
    el.style.width = getComputedStyle(first).width;
    document.body.append(el);
    const cleanup = await this.widget.render?.({ model: this.model, el });
    this.views.push(typeof cleanup === "function" ? cleanup : null);
    return `#${el.id}`;
  },
  receive(diff) {
    this.model.receive(diff);
  },
  async unmount() {
    for (const cleanup of this.views.splice(0)) await cleanup?.();
    await this.cleanup?.();
    this.cleanup = null;
  },
};
