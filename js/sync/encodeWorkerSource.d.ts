/** The bundled code of `encodeWorker.ts`, as a string (made by `build.mjs`). */
declare module "encode-worker-source" {
  const source: string;
  export default source;
}
