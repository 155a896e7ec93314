// Bundle the front end into the Python package: `node js/build.mjs [--dev] [--watch]`.
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";

const dev = process.argv.includes("--dev");
const watch = process.argv.includes("--watch");
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outdir = here("../src/crowdseg_widget/static");

const common = {
  bundle: true,
  minify: !dev,
  sourcemap: false,
  target: "es2020",
  logLevel: "info",
};

const builds = [
  { ...common, entryPoints: [here("./widget.ts")], outfile: `${outdir}/widget.js`, format: "esm" },
  { ...common, entryPoints: [here("./styles.css")], outfile: `${outdir}/widget.css` },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log("watching js/ for changes…");
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
