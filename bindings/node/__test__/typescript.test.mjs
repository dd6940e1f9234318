// The README's TypeScript example type-checks against the generated index.d.ts and runs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const root = dirname(dirname(fileURLToPath(import.meta.url)))

test('tsc --noEmit: example.ts against index.d.ts, strict', () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(root, 'tsconfig.json')], { stdio: 'pipe' })
})

test('the example runs and prints the sale', () => {
  const ts = require('typescript')
  const source = readFileSync(join(root, 'example.ts'), 'utf8')
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  })
  // Inside the package, so that `require('@booking-core/engine')` resolves to it by its own name.
  const out = join(root, '__test__', '.out')
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'example.cjs'), outputText)
  const printed = execFileSync(process.execPath, [join(out, 'example.cjs')], { encoding: 'utf8' })
  assert.match(printed, /^held A4, A5 for 24.00 EUR until \d{4}-/m)
  assert.match(printed, /^taken: A5$/m)
  assert.match(printed, /^A4 checked in, booking checked_in$/m)
})
