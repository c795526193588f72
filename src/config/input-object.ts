import { configKeys, propertyNamesAt } from './config-keys.ts'
import { isPlainObject, LayerBuilder } from './config-layer.ts'
import type { ConfigLayer, PlainObject } from './config-layer.ts'
import { closestName } from './suggest.ts'

/** A hint for an unknown key: a sibling it resembles, or else a setting elsewhere with that name. */
function suggestionFor (key: string, path: readonly string[], siblings: readonly string[]): string {
  const sibling = closestName(key, siblings)
  if (sibling !== undefined) return `; did you mean ${[...path, sibling].join('.')}?`
  const elsewhere = closestName(key, configKeys.map(configKey => configKey.path.at(-1) ?? ''))
  const setting = configKeys.find(configKey => configKey.path.at(-1) === elsewhere)
  return setting === undefined ? '' : `; did you mean ${setting.name}?`
}

/**
 * Reads a configuration object given in the shape of the schema (a YAML or JSON file, the
 * caller's overrides) into a layer: keys the schema does not know are reported (with a hint)
 * and left out, `null` and `undefined` count as not given, and the values are copied.
 * Values of the wrong type are kept for validation to report with their path.
 */
export function readInputObject (input: PlainObject, describeSource: (path: readonly string[]) => string): ConfigLayer {
  const builder = new LayerBuilder()
  const visit = (object: PlainObject, path: readonly string[], known: readonly string[]): void => {
    for (const [key, value] of Object.entries(object)) {
      if (value === undefined || value === null) continue
      const childPath = [...path, key]
      if (!known.includes(key)) {
        builder.problem({ path: childPath.join('.'), problem: `unknown key${suggestionFor(key, path, known)}`, source: describeSource(childPath) })
        continue
      }
      const childKnown = propertyNamesAt(childPath)
      if (childKnown !== undefined && isPlainObject(value)) visit(value, childPath, childKnown)
      else builder.set(childPath, Array.isArray(value) ? [...value] : value, describeSource(childPath))
    }
  }
  visit(input, [], propertyNamesAt([]) ?? [])
  return builder.build()
}
