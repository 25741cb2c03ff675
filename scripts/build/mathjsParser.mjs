// The part of mathjs the analysis uses (src/core/dims/dims.ts parses dim text such as `H/2`): `create` and the
// parser's dependencies. The CLI bundle takes mathjs from here (esbuild.config.mjs, `alias`): its commands are
// loaded on demand, which makes esbuild initialise mathjs as a whole when a command first needs it, and the
// package's entry creates every one of its functions when it is initialised (147 ms); this file creates none.
// Its modules are initialised when `create` is first called (esbuild bundles the `require`s below and runs them
// then), not when the bundle loads: dims.ts creates its parser on the first dim text it parses, and a summary
// whose inputs are numbers parses none (initialising them took 2-5 ms of a 190 ms ResNet-50 summary).
const loaded = () => ({
  create: require('../../node_modules/mathjs/lib/esm/core/create.js').create,
  parseDependencies: require('../../node_modules/mathjs/lib/esm/entry/dependenciesAny/dependenciesParse.generated.js').parseDependencies,
});

/** Stands for the parser's dependencies until `create` is called with it; then the package's own are used. */
export const parseDependencies = Object.freeze({ standsFor: 'mathjs parseDependencies' });

/** mathjs's `create`, with this file's `parseDependencies` replaced by the package's. */
export function create(factories, config) {
  const real = loaded();
  const given = factories.parseDependencies === parseDependencies ? { ...factories, parseDependencies: real.parseDependencies } : factories;
  return real.create(given, config);
}
