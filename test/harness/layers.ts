// The layers of src/ and the check that its imports point down them (issue 10, "Layers").
//
// `layers` is the one source of the order: README.md's "Layers" section states it, and
// test/layers.test.ts checks that the two agree and that every import of src/ respects it.
import { globSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import ts from 'typescript'

/**
 * The folders of src/ (and its top-level files), bottom to top. A module may import from its own
 * folder and from folders of a lower layer, never from one of the same layer or above.
 */
export const layers: ReadonlyArray<readonly string[]> = [
  ['errors.ts'],
  ['async'],
  ['domain'],
  ['log'],
  ['config'],
  ['sms', 'crypto'],
  ['smpp', 'store'],
  ['gateway'],
  ['transport', 'http', 'relay', 'platform-sim'],
  ['app'],
  ['cli']
]

/** One relative import: the importing module and the module it names, both relative to src/. */
export interface SourceImport {
  from: string
  to: string
}

const srcRoot = join(import.meta.dirname, '..', '..', 'src')

/** The folder of src/ a module belongs to (its first path segment), or the file itself at src/'s top. */
export function folderOf (path: string): string {
  return path.split('/')[0] as string
}

/** The index of a folder's layer in `layers`, or undefined when it is in none. */
export function layerOf (folder: string): number | undefined {
  const index = layers.findIndex(layer => layer.includes(folder))
  return index === -1 ? undefined : index
}

/** What is wrong with each import that does not point down the layers, one line per import naming both modules. */
export function layerViolations (imports: Iterable<SourceImport>): string[] {
  const violations: string[] = []
  for (const { from, to } of imports) {
    const source = folderOf(from)
    const target = folderOf(to)
    if (source === target) continue
    const sourceLayer = layerOf(source)
    const targetLayer = layerOf(target)
    if (sourceLayer === undefined) violations.push(`src/${from} imports src/${to}: ${source} is in no layer`)
    else if (targetLayer === undefined) violations.push(`src/${from} imports src/${to}: ${target} is in no layer`)
    else if (targetLayer === sourceLayer) violations.push(`src/${from} imports src/${to}: ${target} is on the same layer as ${source}`)
    else if (targetLayer > sourceLayer) violations.push(`src/${from} imports src/${to}: ${target} is above ${source}`)
  }
  return violations
}

// A worker's module, loaded by URL rather than imported, is a dependency too.
const moduleUrl = /new URL\(\s*['"](\.{1,2}\/[^'"]+\.ts)['"]\s*,\s*import\.meta\.url\s*\)/g

/** The relative module specifiers of a source text: static imports and exports, `import()`, and worker URLs. */
export function relativeSpecifiers (source: string): string[] {
  const imported = ts.preProcessFile(source, true, true).importedFiles.map(file => file.fileName)
  const urls = [...source.matchAll(moduleUrl)].map(match => match[1] as string)
  return [...imported, ...urls].filter(specifier => specifier.startsWith('.'))
}

/** Every relative import of every module of src/, paths relative to src/. */
export function sourceImports (root = srcRoot): SourceImport[] {
  return globSync('**/*.ts', { cwd: root }).sort().flatMap(from =>
    relativeSpecifiers(readFileSync(join(root, from), 'utf8'))
      .map(specifier => ({ from, to: relative(root, join(root, dirname(from), specifier)) })))
}
