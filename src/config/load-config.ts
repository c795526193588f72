import { configError } from './config-error.ts'
import { readConfigFile } from './config-file.ts'
import { isPlainObject, LayerBuilder, mergeLayers } from './config-layer.ts'
import type { ConfigIssue, ConfigLayer } from './config-layer.ts'
import { checkConfigRules } from './config-rules.ts'
import { deepFreeze } from './deep-freeze.ts'
import type { DeepPartial } from './deep-types.ts'
import { defaultConfig } from './defaults.ts'
import { readEnvLayer } from './env.ts'
import { readInputObject } from './input-object.ts'
import type { GatewayConfig } from './schema.ts'
import { describeSchemaErrors } from './schema-errors.ts'

const DEFAULTS_SOURCE = 'defaults'
const OVERRIDES_SOURCE = 'overrides'

function readOverrides (overrides: unknown): ConfigLayer {
  if (isPlainObject(overrides)) return readInputObject(overrides, () => OVERRIDES_SOURCE)
  const builder = new LayerBuilder()
  builder.problem({ path: OVERRIDES_SOURCE, problem: 'must be an object' })
  return builder.build()
}

export interface LoadConfigOptions {
  /** A YAML (`.yaml`, `.yml`), JSON (`.json`) or Java properties (`.properties`) file. */
  readonly file?: string | undefined
  /** Where `SMSGW_*` variables (and `${…}` placeholders of a .properties file) are looked up; default process.env. */
  readonly env?: NodeJS.ProcessEnv | undefined
  /** Wins over everything else; typically the command-line flags. `undefined` values count as not given. */
  readonly overrides?: DeepPartial<GatewayConfig> | undefined
}

/** A valid configuration, and what its sources say that smsgw does not follow (see `ConfigLayer.warnings`). */
export interface LoadedConfig {
  readonly config: GatewayConfig
  readonly warnings: readonly ConfigIssue[]
}

/**
 * Loads the configuration of `smsgw gateway` and `smsgw run`: the defaults, then the file, then the
 * environment, then the overrides, each later one winning per setting. Validates the result
 * on every call and returns it as a new, deeply frozen object; the options are not modified.
 *
 * Rejects with an SmsgwError of code SMSGW_CONFIG listing every problem found (unreadable or
 * malformed file, unknown or removed keys, values of the wrong type or range, settings that
 * exclude each other), each with the setting and where its value came from.
 */
export async function loadConfig (options: LoadConfigOptions = {}): Promise<GatewayConfig> {
  return (await loadConfigWithWarnings(options)).config
}

/**
 * `loadConfig`, and the warnings to report once a logger exists (`logConfigWarnings`): the
 * settings of the sources that smsgw reads but does not follow. Rejects as `loadConfig` does.
 */
export async function loadConfigWithWarnings (options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env
  // Values without a recorded source are reported as coming from the defaults.
  const layers: ConfigLayer[] = [{ values: structuredClone(defaultConfig), sources: new Map(), issues: [], warnings: [] }]
  if (options.file !== undefined) layers.push(await readConfigFile(options.file, env))
  layers.push(readEnvLayer(env))
  if (options.overrides !== undefined) layers.push(readOverrides(options.overrides))

  const merged = mergeLayers(layers, DEFAULTS_SOURCE)
  const issues = [...layers.flatMap(layer => layer.issues), ...describeSchemaErrors(merged), ...checkConfigRules(merged)]
  if (issues.length > 0) throw configError(issues)
  // The merged values are fresh copies, so freezing them touches nothing of the caller's.
  return { config: deepFreeze(merged.values) as GatewayConfig, warnings: layers.flatMap(layer => layer.warnings) }
}
