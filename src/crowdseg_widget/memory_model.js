// An anywidget model in memory: what render({model, el}) needs, with no kernel
// behind it. The static page uses it as it is (static_page.js); the browser
// tests' harness page extends it with a bridge to a real Python widget.
// Binary traits travel in JSON as {"__crowdseg_bytes__": base64} and become DataViews.

export const BYTES = "__crowdseg_bytes__";

export function fromJson(value) {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value !== null && typeof value === "object") {
    if (BYTES in value) {
      const raw = atob(value[BYTES]);
      const bytes = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      return new DataView(bytes.buffer);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v)]));
  }
  return value;
}

export class MemoryModel {
  constructor(state) {
    this.state = state;
    this.listeners = new Map();
  }
  get(key) {
    return this.state[key];
  }
  set(key, value) {
    this.state[key] = value;
    this.emit(`change:${key}`);
    this.emit("change");
  }
  on(event, callback) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(callback);
  }
  off(event, callback) {
    if (event === undefined || event === null) this.listeners.clear();
    else if (callback === undefined || callback === null) this.listeners.delete(event);
    else this.listeners.get(event)?.delete(callback);
  }
  emit(event, ...args) {
    for (const callback of [...(this.listeners.get(event) ?? [])]) callback(...args);
  }
  save_changes() {} // nowhere to save to (a static page offers "Download result" instead)
  send() {}
}
