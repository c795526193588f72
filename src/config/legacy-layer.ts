import assert from 'node:assert'
import { isDeepStrictEqual } from 'node:util'
import { findConfigKey } from './config-keys.ts'
import { LayerBuilder } from './config-layer.ts'
import type { ConfigLayer } from './config-layer.ts'
import {
  ignoredLegacyKeys, ignoredLegacyPrefixes, LEGACY_NAMESPACE, legacyPropertyMappings, removedLegacyKeys, springDefaults,
  unfollowedLegacyKeys
} from './legacy-properties.ts'
import type { LegacyConversion, LegacyMapping, UnfollowedLegacyKey } from './legacy-properties.ts'
import { parseProperties } from './properties-file.ts'
import type { PropertyEntry } from './properties-file.ts'
import { PlaceholderResolver } from './spring-placeholders.ts'
import { closestName, didYouMean } from './suggest.ts'
import { parseTextValue } from './text-value.ts'

const mappingsByKey = Map.groupBy(legacyPropertyMappings, mapping => mapping.key)

/** The Java gateway's own keys, for "did you mean". */
const namespaceKeys = [...mappingsByKey.keys()].filter(key => key.startsWith(LEGACY_NAMESPACE))

function isIgnored (key: string): boolean {
  return ignoredLegacyKeys.includes(key) || ignoredLegacyPrefixes.some(prefix => key.startsWith(prefix))
}

/**
 * A key as Spring's relaxed binding reads it: `registered-delivery`, `registeredDelivery` and
 * `registered_delivery` are one key, and Camel 2's `….smpp.configuration.x` is Camel 3's `….smpp.x`.
 */
function relaxedKey (key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '').replace(/^(camel\.component\.[a-z0-9]+)\.configuration\./, '$1.')
}

const unfollowed = unfollowedLegacyKeys.map(entry => ({ entry, relaxed: relaxedKey(entry.key) }))

function unfollowedKey (key: string): UnfollowedLegacyKey | undefined {
  const relaxed = relaxedKey(key)
  return unfollowed.find(({ entry, relaxed: known }) => entry.prefix ? relaxed.startsWith(known) : relaxed === known)?.entry
}

function convert (mapping: LegacyMapping, text: string): LegacyConversion {
  if (mapping.convert !== undefined) return mapping.convert(text)
  assert(mapping.path !== null, `${mapping.key} maps to nothing and has no check`)
  const setting = findConfigKey(mapping.path.join('.'))
  assert(setting !== undefined, `${mapping.key} maps to ${mapping.path.join('.')}, which the schema lacks`)
  return { value: parseTextValue(setting.kind, text) }
}

interface Assignment {
  readonly path: readonly string[]
  readonly value: unknown
  readonly entry: PropertyEntry
}

/**
 * Reads the older gateway's `application*.properties` (spec §10) into a layer: mapped keys
 * become settings (placeholders resolved), Spring/Camel/logging keys are ignored (with a warning
 * for those that changed what the Java gateway did), removed keys fail naming what replaces
 * them, and any other `sms.gateway.*` key fails as unknown.
 * `env` serves placeholders the file cannot resolve, as Spring's environment did.
 */
export function readLegacyProperties (text: string, file: string, env: NodeJS.ProcessEnv): ConfigLayer {
  const builder = new LayerBuilder()
  const parsed = parseProperties(text)
  for (const { line, problem } of parsed.problems) builder.problem({ path: `${file}:${line}`, problem })
  // A key given twice: the later entry wins, as in java.util.Properties.
  const entries = new Map(parsed.entries.map(entry => [entry.key, entry]))
  const resolver = new PlaceholderResolver({
    properties: new Map([...entries.values()].map(entry => [entry.key, entry.value])),
    env,
    defaults: springDefaults
  })
  const assigned = new Map<string, Assignment>()
  const fallbacks: Assignment[] = []

  for (const entry of entries.values()) {
    const where = `${file}:${entry.line}`
    const mappings = mappingsByKey.get(entry.key)
    if (mappings !== undefined) {
      const resolved = resolver.resolveKey(entry.key)
      if ('problem' in resolved) {
        builder.problem({ path: entry.key, problem: resolved.problem, source: where })
        continue
      }
      for (const mapping of mappings) {
        const converted = convert(mapping, resolved.value)
        if ('problem' in converted) {
          builder.problem({ path: entry.key, problem: converted.problem, source: where })
          continue
        }
        if (mapping.path === null) continue
        const assignment = { path: mapping.path, value: converted.value, entry }
        if (mapping.fallback === true) {
          fallbacks.push(assignment)
          continue
        }
        const name = mapping.path.join('.')
        const earlier = assigned.get(name)
        if (earlier !== undefined && !isDeepStrictEqual(earlier.value, converted.value)) {
          // Values are not shown: this is how a password conflict would be reported too.
          builder.problem({
            path: entry.key,
            problem: `gives ${name} another value than ${earlier.entry.key} (line ${earlier.entry.line}) does`,
            source: where
          })
          continue
        }
        assigned.set(name, assignment)
        builder.set(mapping.path, converted.value, `${where} ${entry.key}`)
      }
      continue
    }
    const removed = removedLegacyKeys.find(key => key.prefix ? entry.key.startsWith(key.key) : entry.key === key.key)
    if (removed !== undefined) {
      builder.problem({ path: entry.key, problem: removed.problem, source: where })
      continue
    }
    if (entry.key.startsWith(LEGACY_NAMESPACE)) {
      builder.problem({ path: entry.key, problem: `unknown key${didYouMean(entry.key, namespaceKeys)}`, source: where })
      continue
    }
    const notFollowed = unfollowedKey(entry.key)
    if (notFollowed !== undefined) {
      builder.warn({ path: entry.key, problem: `ignored: ${notFollowed.instead}`, source: where })
      continue
    }
    if (isIgnored(entry.key)) continue
    // Spring takes any other key (a variable for placeholders, say); a near miss of ours is a typo.
    const nearMiss = closestName(entry.key, namespaceKeys)
    if (nearMiss !== undefined) builder.problem({ path: entry.key, problem: `unknown key; did you mean ${nearMiss}?`, source: where })
  }

  for (const fallback of fallbacks) {
    if (assigned.has(fallback.path.join('.'))) continue
    builder.set(fallback.path, fallback.value, `${file}:${fallback.entry.line} ${fallback.entry.key}`)
  }
  return builder.build()
}
