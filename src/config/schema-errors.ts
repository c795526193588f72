import assert from 'node:assert'
import Type from 'typebox'
import type { TSchema } from 'typebox'
import { Errors } from 'typebox/value'
import { isSecretName } from './config-keys.ts'
import { formatPath, isPlainObject } from './config-layer.ts'
import type { ConfigIssue, MergedLayers } from './config-layer.ts'
import { gatewayConfigSchema, patternDescriptions } from './schema.ts'

type SchemaError = ReturnType<typeof Errors>[number]

const typeNames: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of settings'
}

/** `/kafka/brokers/1` -> ['kafka', 'brokers', 1] (JSON Pointer, RFC 6901). */
function pointerPath (pointer: string): (string | number)[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map(part => {
    const name = part.replaceAll('~1', '/').replaceAll('~0', '~')
    return /^(0|[1-9][0-9]*)$/.test(name) ? Number(name) : name
  })
}

function valueAt (root: unknown, path: readonly (string | number)[]): unknown {
  let value = root
  for (const part of path) value = (value as Record<string | number, unknown> | undefined)?.[part]
  return value
}

const MAX_SHOWN_CHARS = 60

function shown (value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS)}…` : text
}

/** What the value must be, in words; TypeBox's own message when there are none. */
function requirement (error: SchemaError, value: unknown): string {
  switch (error.keyword) {
    case 'type': {
      const expected = String(error.params.type)
      const text = `must be ${typeNames[expected] ?? expected}`
      // YAML reads `password: 123456` as a number; a password or id wants quotes.
      return expected === 'string' && (typeof value === 'number' || typeof value === 'boolean') ? `${text} (put it in quotes)` : text
    }
    case 'minimum':
    case 'maximum':
      return `must be ${error.params.comparison} ${error.params.limit}`
    case 'minItems':
    case 'minLength':
      return error.params.limit === 1 ? 'must not be empty' : `must have at least ${error.params.limit}`
    case 'pattern':
      return patternDescriptions[String(error.params.pattern)] ?? `must match ${String(error.params.pattern)}`
    case 'enum':
      return `must be one of ${error.params.allowedValues.map(String).join(', ')}`
    default:
      return error.message
  }
}

interface Found {
  readonly path: readonly (string | number)[]
  readonly problem: string
}

/**
 * Walks the schema's objects and checks each setting against its own schema. Setting by
 * setting, because TypeBox stops collecting errors after `maxErrors` (8) per call, and that
 * limit is a process-wide setting this module must not change.
 */
function check (schema: TSchema, path: readonly string[], value: unknown, found: Found[]): void {
  if (!Type.IsObject(schema)) {
    for (const error of Errors(schema, value)) {
      const inner = pointerPath(error.instancePath)
      const wrong = valueAt(value, inner)
      found.push({ path: [...path, ...inner], problem: withValue([...path, ...inner], requirement(error, wrong), wrong) })
    }
    return
  }
  if (!isPlainObject(value)) {
    found.push({ path, problem: withValue(path, `must be ${typeNames.object}`, value) })
    return
  }
  const required = schema.required ?? []
  for (const [name, child] of Object.entries(schema.properties)) {
    const childValue = value[name]
    if (childValue === undefined) {
      // The defaults layer holds every required setting, and no layer can take one away.
      assert(!required.includes(name), `required setting ${formatPath([...path, name])} has no value`)
      continue
    }
    check(child, [...path, name], childValue, found)
  }
}

/** Appends the value, unless it is a secret. */
function withValue (path: readonly (string | number)[], problem: string, value: unknown): string {
  return isSecretName(path.filter(part => typeof part === 'string').join('.')) ? problem : `${problem}, got ${shown(value)}`
}

/**
 * Checks the merged configuration against the schema. Each problem names the setting, what it
 * must be, the value it has (unless a secret), and where that value came from. One problem per
 * setting (or list item): the first found.
 */
export function describeSchemaErrors (merged: MergedLayers): ConfigIssue[] {
  const found: Found[] = []
  check(gatewayConfigSchema, [], merged.values, found)
  const issues = new Map<string, ConfigIssue>()
  for (const { path, problem } of found) {
    const name = formatPath(path)
    if (!issues.has(name)) issues.set(name, { path: name, problem, source: merged.sourceOf(path) })
  }
  return [...issues.values()]
}
