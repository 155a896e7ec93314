// Rewrites the README's key table (between <!-- keys:start --> and <!-- keys:end -->)
// from the keymap, js/keymap.ts: `npm run keys`. js/keymapReadme.test.ts fails until it is run.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const readmePath = fileURLToPath(new URL("../README.md", import.meta.url));
const bundle = await build({
  entryPoints: [fileURLToPath(new URL("./keymapReadme.ts", import.meta.url))],
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
});
const { withKeyTable } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);
const readme = readFileSync(readmePath, "utf8");
const next = withKeyTable(readme);
if (next === readme) console.log("README.md: the key table is up to date");
else {
  writeFileSync(readmePath, next);
  console.log("README.md: key table rewritten from js/keymap.ts");
}
