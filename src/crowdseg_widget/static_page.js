// The static page's boot. It runs after memory_model.js in the same module script
// (static_page.py joins them), so MemoryModel and fromJson are in scope here.
// There is no kernel behind it: set() and save_changes() keep the state here,
// send() has no one to reach. The widget's bundle is imported from a Blob URL
// of its own text, so the page needs no server, no CDN and no internet.
// The page puts the state and the bundle in two JSON script elements (static_page.py).

const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
const model = new MemoryModel(fromJson(readJson("crowdseg-state")));
const url = URL.createObjectURL(new Blob([readJson("crowdseg-bundle")], { type: "text/javascript" }));
const widget = (await import(url)).default;
await widget.initialize?.({ model });
await widget.render({ model, el: document.getElementById("crowdseg-root") });
window.crowdsegModel = model; // for a look from the console (and the tests)
