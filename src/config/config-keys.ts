import assert from 'node:assert'
import Type from 'typebox'
import type { TSchema } from 'typebox'
import { gatewayConfigSchema, secretPaths } from './schema.ts'

/** How a text value (environment variable, .properties entry) becomes a typed one. */
export const valueKinds = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  stringList: 'string-list'
} as const

export type ValueKind = typeof valueKinds[keyof typeof valueKinds]

/** One settable value of the configuration, found by walking the schema. */
export interface ConfigKey {
  /** Property names from the root, e.g. ['pipeline', 'maxInFlight']. */
  readonly path: readonly string[]
  /** The path with dots, e.g. 'pipeline.maxInFlight'. */
  readonly name: string
  readonly kind: ValueKind
  /** e.g. SMSGW_PIPELINE_MAX_IN_FLIGHT */
  readonly envVar: string
  /** Never echo the value in a message. */
  readonly secret: boolean
}

export const ENV_PREFIX = 'SMSGW_'

/** `maxInFlight` -> `MAX_IN_FLIGHT` */
function upperSnake (name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
}

/** The environment variable that sets the value at `path`. */
export function envVarName (path: readonly string[]): string {
  return ENV_PREFIX + path.map(upperSnake).join('_')
}

function kindOf (schema: TSchema): ValueKind {
  if (Type.IsInteger(schema)) return valueKinds.integer
  if (Type.IsBoolean(schema)) return valueKinds.boolean
  if (Type.IsArray(schema)) return valueKinds.stringList
  // A string, or an enum of strings.
  return valueKinds.string
}

function collectKeys (schema: TSchema, path: readonly string[], into: ConfigKey[]): void {
  // A list of objects (smpp.connections) is set in a file only: no one text value holds it.
  if (Type.IsArray(schema) && Type.IsObject(schema.items)) return
  if (!Type.IsObject(schema)) {
    const name = path.join('.')
    into.push({ path, name, kind: kindOf(schema), envVar: envVarName(path), secret: secretPaths.includes(name) })
    return
  }
  for (const [key, child] of Object.entries(schema.properties)) collectKeys(child, [...path, key], into)
}

function buildKeys (): readonly ConfigKey[] {
  const keys: ConfigKey[] = []
  collectKeys(gatewayConfigSchema, [], keys)
  // Two paths that snake-case alike would make an environment variable ambiguous.
  assert.equal(new Set(keys.map(key => key.envVar)).size, keys.length, 'environment variable names collide')
  return Object.freeze(keys.map(key => Object.freeze(key)))
}

/** Every leaf of the configuration, in schema order. */
export const configKeys: readonly ConfigKey[] = buildKeys()

const keysByName = new Map(configKeys.map(key => [key.name, key]))

export function findConfigKey (name: string): ConfigKey | undefined {
  return keysByName.get(name)
}

/** The schema of the value at `path`, or undefined when the configuration has nothing there. */
export function schemaAt (path: readonly string[]): TSchema | undefined {
  let schema: TSchema | undefined = gatewayConfigSchema
  for (const name of path) schema = schema !== undefined && Type.IsObject(schema) ? schema.properties[name] : undefined
  return schema
}

/** The property names of the object at `path`, or undefined when the schema has no object there. */
export function propertyNamesAt (path: readonly string[]): readonly string[] | undefined {
  const schema = schemaAt(path)
  return schema !== undefined && Type.IsObject(schema) ? Object.keys(schema.properties) : undefined
}

/** True when the value named `name` (dotted path) is a secret. */
export function isSecretName (name: string): boolean {
  return secretPaths.includes(name)
}
