import { configKeys, ENV_PREFIX, envVarName } from './config-keys.ts'
import { LayerBuilder } from './config-layer.ts'
import type { ConfigLayer } from './config-layer.ts'
import { gatewayConfigSchema } from './schema.ts'
import { didYouMean } from './suggest.ts'
import { parseTextValue } from './text-value.ts'

/**
 * The prefixes of the sections, `SMSGW_KAFKA_` and so on. A variable under one of them must be
 * a setting; other `SMSGW_` variables belong to other tools (the benchmark, the vault commands)
 * and are left alone.
 */
const sectionPrefixes = Object.keys(gatewayConfigSchema.properties).map(section => `${envVarName([section])}_`)

const knownNames = configKeys.map(key => key.envVar)

/**
 * Reads the settings given as environment variables `SMSGW_<PATH>`, e.g. SMSGW_KAFKA_BROKERS
 * (lists separated by commas) or SMSGW_PIPELINE_MAX_IN_FLIGHT. A variable set to the empty
 * string counts as not set.
 */
export function readEnvLayer (env: NodeJS.ProcessEnv): ConfigLayer {
  const builder = new LayerBuilder()
  for (const key of configKeys) {
    const text = env[key.envVar]
    if (text === undefined || text === '') continue
    builder.set(key.path, parseTextValue(key.kind, text), `environment variable ${key.envVar}`)
  }
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX) || knownNames.includes(name)) continue
    if (!sectionPrefixes.some(prefix => name.startsWith(prefix))) continue
    builder.problem({ path: name, problem: `not a setting${didYouMean(name, knownNames)}`, source: 'the environment' })
  }
  return builder.build()
}
