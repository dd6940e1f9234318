// Types of the ES module entry point (index.mjs): those of the CommonJS loader it re-exports.
export * from './index.js'
import * as binding from './index.js'
export default binding
