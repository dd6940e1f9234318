// The ES module entry point: the CommonJS loader napi generates (index.js), re-exported, so that
// `import` and `require` share one loaded addon. Its names are the loader's `module.exports.*`,
// which Node finds statically (cjs-module-lexer).
export * from './index.js'
export { default } from './index.js'
