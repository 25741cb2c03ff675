// The CLI bundle's @lezer/python (esbuild.config.mjs, `alias`): the Python grammar's tables are decoded when the
// parser is first used, not when the bundle loads. A CLI run whose parses all come from the parse cache never
// parses, and decoding the tables took about 5 ms of a 170 ms ResNet-50 summary. esbuild bundles the `require`
// below (the package's own ES module, sharing the bundle's @lezer/lr) and initialises it on the first call.
const loaded = () => require('../../node_modules/@lezer/python/dist/index.js').parser;

/** The package's `parser`, its methods bound to it (src/core/python/parse.ts calls startParse and parse). */
export const parser = new Proxy(
  {},
  {
    get(_target, key) {
      const real = loaded();
      const value = real[key];
      return typeof value === 'function' ? value.bind(real) : value;
    },
  },
);
