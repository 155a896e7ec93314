// The static page's model: what anywidget's render({model, el}) needs, in memory.
// There is no kernel behind it: set() and save_changes() keep the state here,
// send() has no one to reach. The widget's bundle is imported from a Blob URL
// of its own text, so the page needs no server, no CDN and no internet.
// The page puts the state and the bundle in two JSON script elements (static_page.py).

const BYTES = "__crowdseg_bytes__";

function fromJson(value) {
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

class MemoryModel {
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
  emit(event) {
    for (const callback of [...(this.listeners.get(event) ?? [])]) callback();
  }
  save_changes() {} // nowhere to save to: the view offers "Download result" instead
  send() {}
}

const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
const model = new MemoryModel(fromJson(readJson("crowdseg-state")));
const url = URL.createObjectURL(new Blob([readJson("crowdseg-bundle")], { type: "text/javascript" }));
const widget = (await import(url)).default;
await widget.initialize?.({ model });
await widget.render({ model, el: document.getElementById("crowdseg-root") });
window.crowdsegModel = model; // for a look from the console (and the tests)
