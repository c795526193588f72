import { join } from 'node:path'
import type { DeepPartial, GatewayConfig } from '../config/index.ts'
import { loadConfig } from '../config/index.ts'
import { ApiKeyFile, apiKeyFilePath } from '../http/api-keys/index.ts'
import { DashboardState } from '../http/dashboard/dashboard-state.ts'
import { GatewayMetrics } from '../http/observability/gateway-metrics.ts'
import { metricsStatusSink } from '../http/observability/metric-sources.ts'
import { buildHttpFront } from './http-front.ts'
import { listenHttp } from './listen-http.ts'
import type { Logger } from '../log/logger.ts'
import { SmscSimulator } from '../smpp/simulator/index.ts'
import { startEmbeddedGateway } from '../transport/embedded/embedded-gateway.ts'
import { DEMO_CLIENT, DEMO_VAULT_PASSWORD, LOOPBACK_CLIENT, prepareDemo, type DemoFiles } from './demo-setup.ts'

export interface EmbeddedAppOptions {
  /** Folder of the store, the demo vault and the API keys. */
  dataDir: string
  /** A configuration file; without one, the demo defaults (vault, clients, SMSC simulator) apply. */
  configFile?: string
  /** Where the store is (config `store.url`, which this overrides): a `postgres://` URL or a SQLite file. */
  storeUrl?: string
  httpHost: string
  httpPort: number
  /** Port of the SMSC simulator of the demo; 0 picks a free one. */
  smscPort: number
  log: Logger
}

export interface EmbeddedApp {
  readonly url: string
  /** The store's location, as logs may show it (a PostgreSQL URL without its password). */
  readonly store: string
  readonly demo: DemoFiles | undefined
  /** The demo client's API key when this start created it (it is shown once). */
  readonly newApiKey: string | undefined
  /** The loop-back client `test`'s API key when this start created it (it is shown once). */
  readonly newTestApiKey: string | undefined
  /** The API key file (apiKeyFilePath: $SMSGW_API_KEYS_FILE, else api-keys.json in the data folder). */
  readonly apiKeyFile: string
  readonly smsc: string | undefined
  close: () => Promise<void>
}

const DEMO_SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }

/**
 * The whole job on one machine (issue: embedded mode): the durable SQLite queue, the gateway
 * over it, the HTTP API with its docs, metrics, health and the dashboard, and, for the demo,
 * an SMSC simulator, a vault with the `test` and `demo` clients and an API key for `demo`.
 */
export async function startEmbeddedApp (options: EmbeddedAppOptions): Promise<EmbeddedApp> {
  // What is running so far, to stop again (last first) when a later step fails: a failed start
  // must not keep the simulator's port, the store or the workers (and so the process) alive.
  const started: Array<() => Promise<void>> = []
  try {
    return await startAll(options, started)
  } catch (error) {
    for (const stop of started.reverse()) await stop().catch((stopError: unknown) => { options.log.warn({ err: stopError }, 'stopping after a failed start') })
    throw error
  }
}

async function startAll (options: EmbeddedAppOptions, started: Array<() => Promise<void>>): Promise<EmbeddedApp> {
  const { log } = options
  const demo = options.configFile === undefined ? await prepareDemo(options.dataDir) : undefined
  const simulator = demo === undefined ? undefined : await startSimulator(options.smscPort)
  if (simulator !== undefined) started.push(async () => { await simulator.close() })
  const demoOverrides: DeepPartial<GatewayConfig> = demo === undefined || simulator === undefined
    ? {}
    : {
        vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
        clients: { allowed: [LOOPBACK_CLIENT, DEMO_CLIENT] },
        smpp: { host: '127.0.0.1', port: simulator.address.port, ...DEMO_SMSC_ACCOUNT },
        pipeline: { maxInFlight: 500 }
      }
  const overrides = options.storeUrl === undefined ? demoOverrides : { ...demoOverrides, store: { url: options.storeUrl } }
  const config = await loadConfig({ file: options.configFile, env: process.env, overrides })
  const vaultPassword = config.vault.password ?? DEMO_VAULT_PASSWORD

  const metrics = new GatewayMetrics({ clients: config.clients.allowed })
  const dashboard = new DashboardState({ requestsTotal: () => metrics.requestsTotal })
  const { running, transport } = await startEmbeddedGateway(config, vaultPassword, config.store.url ?? join(options.dataDir, 'smsgw.db'), log, { sinks: [metricsStatusSink(metrics), dashboard] })
  started.push(async () => { await running.shutdown() })

  const apiKeys = await ApiKeyFile.open(apiKeyFilePath(undefined, process.env, options.dataDir))
  const keyedClients = new Set((await apiKeys.list()).map(key => key.clientId))
  const newApiKey = demo !== undefined && !keyedClients.has(DEMO_CLIENT) ? (await apiKeys.create(DEMO_CLIENT)).key : undefined
  const newTestApiKey = demo !== undefined && !keyedClients.has(LOOPBACK_CLIENT) ? (await apiKeys.create(LOOPBACK_CLIENT)).key : undefined
  const app = await buildHttpFront({ ingress: transport.ingress, statuses: transport.statuses, apiKeys, running, metrics, dashboard, rateLimit: { requestsPerSecond: config.http.rateLimitPerSecond, burst: config.http.rateLimitBurst }, transportReady: async () => await transport.store.reachable(), log })
  started.push(async () => { await app.close() })
  const url = await listenHttp(app, { host: options.httpHost, port: options.httpPort, hostOption: '--host', portOption: '--port' })
  return {
    url,
    store: transport.store.location,
    demo,
    newApiKey,
    newTestApiKey,
    apiKeyFile: apiKeys.file,
    smsc: simulator === undefined ? undefined : `127.0.0.1:${simulator.address.port}`,
    close: async () => {
      await app.close()
      await running.shutdown()
      await simulator?.close()
    }
  }
}

async function startSimulator (port: number): Promise<SmscSimulator> {
  const options = { accounts: [DEMO_SMSC_ACCOUNT], retainSubmitted: 0, receiptDelayMs: 500 }
  try {
    return await SmscSimulator.start({ ...options, port })
  } catch {
    // The port is taken (another simulator, a real SMSC): any free one does for the demo.
    return await SmscSimulator.start({ ...options, port: 0 })
  }
}
