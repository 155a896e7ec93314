// Bundle the front end into the Python package: `node js/build.mjs [--dev] [--watch]`.
import * as esbuild from "esbuild";
import { resolve } from "node:path";
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

/**
 * `import source from "encode-worker-source"`: the encoding worker
 * (`encodeWorker.ts`), bundled on its own and inlined as a string, since
 * anywidget serves one file; `workerEncoder.ts` runs it from a Blob URL.
 */
const workerSource = {
  name: "encode-worker-source",
  setup(build) {
    build.onResolve({ filter: /^encode-worker-source$/ }, (args) => ({ path: args.path, namespace: "worker-source" }));
    build.onLoad({ filter: /.*/, namespace: "worker-source" }, async () => {
      const result = await esbuild.build({
        ...common,
        logLevel: "silent",
        entryPoints: [here("./sync/encodeWorker.ts")],
        format: "iife",
        write: false,
        metafile: true,
      });
      return {
        contents: `export default ${JSON.stringify(result.outputFiles[0].text)};`,
        loader: "js",
        watchFiles: Object.keys(result.metafile.inputs).map((input) => resolve(input)), // relative to the cwd
      };
    });
  },
};

const builds = [
  {
    ...common,
    entryPoints: [here("./widget.ts")],
    outfile: `${outdir}/widget.js`,
    format: "esm",
    plugins: [workerSource],
  },
  { ...common, entryPoints: [here("./styles.css")], outfile: `${outdir}/widget.css` },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log("watching js/ for changes…");
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
