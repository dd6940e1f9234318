// The npm packages' housekeeping: the main package (this directory) and one package per target
// triple of package.json's `napi.targets` under npm/ (made by `napi create-npm-dirs`).
//
//   node tools/packages.mjs licences     copy the repository's LICENSE-MIT and LICENSE-APACHE into
//                                        the main package and every platform package (prepack and
//                                        prepublishOnly run it; the copies are git-ignored)
//   node tools/packages.mjs files        list the licence files in every platform package's
//                                        `files` (`npm run create-npm-dirs` runs it after napi's)
//   node tools/packages.mjs check        the packages agree: one directory per target, one
//                                        version (the crate's), one licence and engines, the
//                                        licences listed, nothing private, no repository
//   node tools/packages.mjs host         the platform package of this machine (e.g. linux-x64-gnu)
//   node tools/packages.mjs pack DEST    npm pack, into DEST, the main package as a release
//                                        publishes it (with the optionalDependencies `napi
//                                        pre-publish` writes) and this machine's platform package
//                                        with the addon built here (what `napi artifacts` puts
//                                        there); prints the two tarballs' paths. The source tree
//                                        is left as it was (but for the git-ignored licences).
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseTriple } from '@napi-rs/cli'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const repository = dirname(dirname(root))
const LICENCES = ['LICENSE-MIT', 'LICENSE-APACHE']
const LICENSE = 'MIT OR Apache-2.0'

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))
const writeJson = (path, value) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`)
const main = readJson(join(root, 'package.json'))
const { binaryName } = main.napi
const targets = main.napi.targets.map((triple) => {
  const target = parseTriple(triple)
  return { ...target, dir: join(root, 'npm', target.platformArchABI), name: `${main.name}-${target.platformArchABI}` }
})

/** The optionalDependencies `napi pre-publish` writes into the main package: every target's, at its version. */
function releaseOptionalDependencies() {
  return { ...main.optionalDependencies, ...Object.fromEntries(targets.map((t) => [t.name, main.version])) }
}

function licences() {
  for (const file of LICENCES) {
    const source = join(repository, file)
    if (!existsSync(source)) throw new Error(`${source} is missing: run this in a clone of booking-core`)
    for (const dir of [root, ...targets.map((t) => t.dir).filter((d) => existsSync(d))]) {
      copyFileSync(source, join(dir, file))
    }
  }
}

function files() {
  for (const { dir } of targets) {
    const path = join(dir, 'package.json')
    const pkg = readJson(path)
    const missing = LICENCES.filter((f) => !pkg.files.includes(f))
    if (missing.length > 0) {
      pkg.files.push(...missing)
      writeJson(path, pkg)
    }
  }
}

function check() {
  const problems = []
  const crateVersion = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(
    readFileSync(join(repository, 'Cargo.toml'), 'utf8'),
  )?.[1]
  if (main.version !== crateVersion) problems.push(`version ${main.version} is not the crate's (${crateVersion})`)
  if (main.private) problems.push('the main package is private')
  if ('repository' in main) problems.push('it names a repository, and there is no public one')
  if (main.license !== LICENSE) problems.push(`license is ${main.license}, not ${LICENSE}`)
  for (const file of LICENCES) if (!main.files.includes(file)) problems.push(`files lacks ${file}`)
  if (main.files.some((f) => f.includes('.node'))) problems.push('the main package ships a .node file')
  // napi pre-publish writes them at release; committed, they would break `npm ci` (the lockfile
  // cannot hold packages not yet published).
  for (const { name } of targets) {
    if (name in (main.optionalDependencies ?? {})) problems.push(`optionalDependencies names ${name}: leave it to napi pre-publish`)
  }
  for (const dir of readdirSync(join(root, 'npm'))) {
    if (!targets.some((t) => t.platformArchABI === dir)) problems.push(`npm/${dir} is no target's`)
  }
  for (const { triple, platformArchABI, dir, name } of targets) {
    const where = `npm/${platformArchABI} (${triple})`
    if (!existsSync(join(dir, 'package.json'))) {
      problems.push(`${where} is missing: npm run create-npm-dirs`)
      continue
    }
    const pkg = readJson(join(dir, 'package.json'))
    const binary = `${binaryName}.${platformArchABI}.node`
    if (pkg.name !== name) problems.push(`${where}: name ${pkg.name}, not ${name}`)
    if (pkg.version !== main.version) problems.push(`${where}: version ${pkg.version}, not ${main.version} (napi version)`)
    if (pkg.main !== binary || !pkg.files?.includes(binary)) problems.push(`${where}: does not ship ${binary}`)
    if (pkg.license !== LICENSE) problems.push(`${where}: license ${pkg.license}`)
    if (JSON.stringify(pkg.engines) !== JSON.stringify(main.engines)) problems.push(`${where}: engines differ from the main package's`)
    for (const file of LICENCES) if (!pkg.files?.includes(file)) problems.push(`${where}: files lacks ${file} (npm run create-npm-dirs)`)
    if ('repository' in pkg || pkg.private) problems.push(`${where}: private, or names a repository`)
  }
  if (problems.length > 0) {
    console.error(`the npm packages disagree:\n  ${problems.join('\n  ')}`)
    process.exit(1)
  }
  console.log(`${main.name}@${main.version}: ${targets.map((t) => t.platformArchABI).join(', ')}`)
}

/** This machine's target, or undefined when it is none of napi.targets. */
function hostTarget() {
  const glibc = process.platform === 'linux' && Boolean(process.report?.getReport().header.glibcVersionRuntime)
  return targets.find(
    (t) => t.platform === process.platform && t.arch === process.arch && (t.platform !== 'linux' || (t.abi === 'gnu') === glibc),
  )
}

function host() {
  const target = hostTarget()
  if (!target) {
    console.error(`this machine (${process.platform}-${process.arch}) is none of napi.targets`)
    process.exit(1)
  }
  console.log(target.platformArchABI)
}

function npmPack(cwd, destination) {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  })
  return join(destination, JSON.parse(out)[0].filename)
}

/** A copy of `files` of package directory `from`, with manifest `manifest`, in a fresh directory under `under`. */
function stage(under, from, manifest, extra = {}) {
  const dir = mkdtempSync(join(under, 'stage-'))
  writeJson(join(dir, 'package.json'), manifest)
  for (const file of ['README.md', ...manifest.files]) {
    const source = extra[file] ?? join(from, file)
    if (!existsSync(source)) throw new Error(`${source} is missing: build first (npm run build)`)
    copyFileSync(source, join(dir, file))
  }
  return dir
}

function pack(destination) {
  if (!destination) throw new Error('usage: node tools/packages.mjs pack DEST')
  destination = resolve(destination)
  mkdirSync(destination, { recursive: true })
  const target = hostTarget()
  if (!target) throw new Error(`this machine (${process.platform}-${process.arch}) is none of napi.targets`)
  licences()
  const mainStage = stage(destination, root, { ...main, optionalDependencies: releaseOptionalDependencies() })
  const binary = `${binaryName}.${target.platformArchABI}.node`
  const platformStage = stage(destination, target.dir, readJson(join(target.dir, 'package.json')), {
    [binary]: join(root, binary),
  })
  const tarballs = [npmPack(mainStage, destination), npmPack(platformStage, destination)]
  for (const dir of [mainStage, platformStage]) rmSync(dir, { recursive: true })
  console.log(tarballs.join('\n'))
}

const commands = { licences, files, check, host, pack }
const command = commands[process.argv[2]]
if (!command) {
  console.error(`usage: node tools/packages.mjs ${Object.keys(commands).join('|')}`)
  process.exit(2)
}
command(...process.argv.slice(3))
