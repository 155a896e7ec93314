// Stands in for the bundled worker source (built by js/build.mjs) in node tests.
export default "";
