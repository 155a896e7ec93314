import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The worker's code is bundled into widget.js as a string at build time (js/build.mjs).
    alias: { "encode-worker-source": fileURLToPath(new URL("./js/testing/emptyWorkerSource.ts", import.meta.url)) },
  },
});
