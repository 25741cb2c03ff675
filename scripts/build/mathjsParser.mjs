// The part of mathjs the analysis uses (src/core/dims/dims.ts parses dim text such as `H/2`): `create` and the
// parser's dependencies. The CLI bundle takes mathjs from here (esbuild.config.mjs, `alias`): its commands are
// loaded on demand, which makes esbuild initialise mathjs as a whole when a command first needs it, and the
// package's entry creates every one of its functions when it is initialised (147 ms); this file creates none.
export { create } from '../../node_modules/mathjs/lib/esm/core/create.js';
export { parseDependencies } from '../../node_modules/mathjs/lib/esm/entry/dependenciesAny/dependenciesParse.generated.js';
