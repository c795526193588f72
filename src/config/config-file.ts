import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml'
import type { Node as YamlNode } from 'yaml'
import { isPlainObject, LayerBuilder } from './config-layer.ts'
import type { ConfigLayer } from './config-layer.ts'
import { readInputObject } from './input-object.ts'
import { readLegacyProperties } from './legacy-layer.ts'
import { decodePropertiesText } from './properties-file.ts'

/** File name endings and the format they mean. */
export const configFileFormats = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  '.properties': 'properties'
} as const

export type ConfigFileFormat = typeof configFileFormats[keyof typeof configFileFormats]

function failedLayer (path: string, problem: string): ConfigLayer {
  const builder = new LayerBuilder()
  builder.problem({ path, problem })
  return builder.build()
}

/** The line of each key of a YAML document, by dotted path, so that problems can point at it. */
function keyLines (node: YamlNode | null, lineCounter: LineCounter, path: readonly string[], into: Map<string, number>): void {
  if (!isMap(node)) return
  for (const pair of node.items) {
    if (!isScalar(pair.key) || pair.key.range === undefined || pair.key.range === null) continue
    const keyPath = [...path, String(pair.key.value)]
    into.set(keyPath.join('.'), lineCounter.linePos(pair.key.range[0]).line)
    keyLines(pair.value as YamlNode | null, lineCounter, keyPath, into)
  }
}

function readYaml (text: string, file: string): ConfigLayer {
  const lineCounter = new LineCounter()
  // Not prettyErrors: its code frame spans lines, and a problem is one line.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (document.errors.length > 0) {
    const builder = new LayerBuilder()
    for (const error of document.errors) {
      const { line, col } = lineCounter.linePos(error.pos[0])
      builder.problem({ path: `${file}:${line}:${col}`, problem: `not valid YAML: ${error.message}` })
    }
    return builder.build()
  }
  const content: unknown = document.toJS()
  // An empty file, or one with every line commented out, sets nothing.
  if (content === null || content === undefined) return readInputObject({}, () => file)
  if (!isPlainObject(content)) return failedLayer(file, 'must hold a mapping of settings at the top')
  const lines = new Map<string, number>()
  keyLines(document.contents, lineCounter, [], lines)
  return readInputObject(content, path => {
    const line = lines.get(path.join('.'))
    return line === undefined ? file : `${file}:${line}`
  })
}

function readJson (text: string, file: string): ConfigLayer {
  let content: unknown
  try {
    content = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    return failedLayer(file, `not valid JSON: ${(error as Error).message}`)
  }
  if (!isPlainObject(content)) return failedLayer(file, 'must hold an object of settings at the top')
  return readInputObject(content, () => file)
}

/**
 * Reads a configuration file into a layer, by its name's ending: YAML (`.yaml`, `.yml`), JSON
 * (`.json`), or the older gateway's Java properties (`.properties`). Never rejects: a file that
 * cannot be read or parsed becomes a layer with that problem, reported with the rest.
 */
export async function readConfigFile (file: string, env: NodeJS.ProcessEnv): Promise<ConfigLayer> {
  const ending = extname(file).toLowerCase()
  const format: ConfigFileFormat | undefined = Object.hasOwn(configFileFormats, ending)
    ? configFileFormats[ending as keyof typeof configFileFormats]
    : undefined
  if (format === undefined) {
    return failedLayer(file, `unknown kind of configuration file; name it ${Object.keys(configFileFormats).join(', ')}`)
  }
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    return failedLayer(file, `cannot read the file (${code ?? message})`)
  }
  switch (format) {
    case 'yaml': return readYaml(bytes.toString('utf8'), file)
    case 'json': return readJson(bytes.toString('utf8'), file)
    case 'properties': return readLegacyProperties(decodePropertiesText(bytes), file, env)
  }
}
