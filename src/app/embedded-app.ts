import { mkdir } from 'node:fs/promises'
import type { DeepPartial, GatewayConfig } from '../config/index.ts'
import { BUILTIN_VAULT_FILE, BUILTIN_VAULT_PASSWORD, loadConfigWithWarnings, logConfigWarnings } from '../config/index.ts'
import { storeLocationOf } from '../config/data-dir.ts'
import { readVaultPasswordFile } from '../crypto/vault/index.ts'
import { errorCodes, SmsgwError } from '../errors.ts'
import { ApiKeyFile, apiKeyFilePath } from '../http/api-keys/index.ts'
import { DashboardState } from '../http/dashboard/dashboard-state.ts'
import { GatewayMetrics } from '../http/observability/gateway-metrics.ts'
import { metricsStatusSink } from '../http/observability/metric-sources.ts'
import { DestinationPolicy } from '../http/webhooks/destination-policy.ts'
import { reliabilityTestsOf } from '../relay/gateway-clients/reliability.ts'
import { gatewayClientRegistryRoutes } from './gateway-client-registry.ts'
import { buildHttpFront } from './http-front.ts'
import { listenHttp } from './listen-http.ts'
import type { Logger } from '../log/logger.ts'
import { startConfiguredRelayVault } from '../relay/grpc/relay-vault-server.ts'
import { SmscSimulator } from '../smpp/simulator/index.ts'
import { startEmbeddedGateway } from './embedded-gateway.ts'
import { relayOutbound } from './relay-outbound.ts'
import { EmbeddedRelayIngress } from './relay-ingress-app.ts'
import { configuredPublisher } from './relay-publisher.ts'
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
  /** Where `SMSGW_*` settings are read: the CLI's environment. */
  env: NodeJS.ProcessEnv
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
  /** The operator key (the dashboard's) when this start created it, as the key file had none (it is shown once). */
  readonly newOperatorKey: string | undefined
  readonly smsc: string | undefined
  /** The demo's SMSC simulator (undefined with a configuration file): it can inject inbound SMS. */
  readonly simulator: SmscSimulator | undefined
  /** The port of the relay vault's gRPC server, when relay.grpcPort is set (docs/relay.md). */
  readonly relayGrpcPort: number | undefined
  /** The port of publisher.v1.Publisher, when relay.publisherGrpcPort is set (docs/relay.md, "Publisher"). */
  readonly relayPublisherGrpcPort: number | undefined
  close: () => Promise<void>
}

const DEMO_SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }

/**
 * The whole job on one machine (issue: embedded mode): the durable SQLite queue, the gateway
 * over it, the HTTP API with its docs, metrics, health and the dashboard (with an operator key
 * to log in with, made on the first start), and, for the demo, an SMSC simulator, a vault with
 * the `test` and `demo` clients and an API key for `demo`.
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
  // An operator's --data folder (e.g. /var/lib/smsgw) may not exist yet; the demo makes its own.
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 })
  const demo = options.configFile === undefined ? await prepareDemo(options.dataDir) : undefined
  const simulator = demo === undefined ? undefined : await startSimulator(options.smscPort)
  if (simulator !== undefined) started.push(async () => { await simulator.close() })
  const demoOverrides: DeepPartial<GatewayConfig> = demo === undefined || simulator === undefined
    ? {}
    : {
        vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
        clients: { allowed: [LOOPBACK_CLIENT, DEMO_CLIENT] },
        smpp: { host: '127.0.0.1', port: simulator.address.port, ...DEMO_SMSC_ACCOUNT },
        // The demo client owns every number: an SMS injected into the simulator reaches it.
        inbound: { owners: [{ client: DEMO_CLIENT, prefixes: [''] }] },
        pipeline: { maxInFlight: 500 }
      }
  const overrides = options.storeUrl === undefined ? demoOverrides : { ...demoOverrides, store: { url: options.storeUrl } }
  const { config, warnings } = await loadConfigWithWarnings({ file: options.configFile, env: options.env, overrides })
  logConfigWarnings(log, warnings)
  const vaultPassword = await vaultPasswordOf(config)
  // Before anything starts: a bad allow-list entry stops the start with nothing to clean up.
  const webhookDestinations = DestinationPolicy.allowing(config.webhooks.allowedDestinations)

  const metrics = new GatewayMetrics({ clients: config.clients.allowed, inboundOwners: config.inbound.owners.map(owner => owner.client) })
  const dashboard = new DashboardState({ requestsTotal: () => metrics.requestsTotal })
  const relayIngress = new EmbeddedRelayIngress(config, log)
  const { running, transport } = await startEmbeddedGateway(config, vaultPassword, storeLocationOf(config.store.url, options.dataDir), log, { sinks: [metricsStatusSink(metrics), dashboard] }, relayIngress.mo)
  started.push(async () => { await running.shutdown() })
  started.push(async () => { await relayIngress.close() })

  transport.inbound.onHandled(({ connection, owner, outcome }) => { metrics.inboundSms(connection, owner, outcome) })

  const apiKeys = await ApiKeyFile.open(apiKeyFilePath(undefined, options.env, options.dataDir))
  const keyedClients = new Set((await apiKeys.list()).map(key => key.clientId))
  const newApiKey = demo !== undefined && !keyedClients.has(DEMO_CLIENT) ? (await apiKeys.create(DEMO_CLIENT)).key : undefined
  const newTestApiKey = demo !== undefined && !keyedClients.has(LOOPBACK_CLIENT) ? (await apiKeys.create(LOOPBACK_CLIENT)).key : undefined
  // The dashboard answers operators only: the first start makes them a key, demo or not.
  const newOperatorKey = (await apiKeys.listOperatorKeys()).length === 0 ? (await apiKeys.createOperatorKey()).key : undefined
  const outbound = await relayOutbound(config, vaultPassword, transport.ingress)
  const relayPublisher = configuredPublisher(config, transport.store, log, { outbound, reliabilityTests: config.relay.grpcPort === undefined ? undefined : reliabilityTestsOf(transport.store.gatewayClients) })
  relayIngress.start(relayPublisher?.publisher.publishContent)
  const relayRoutes = [...gatewayClientRegistryRoutes(config, transport.store), ...(relayPublisher === undefined ? [] : [relayPublisher.routes])]
  const app = await buildHttpFront({ ingress: transport.ingress, statuses: transport.statuses, inbound: transport.inbound, apiKeys, running, metrics, dashboard, rateLimit: { requestsPerSecond: config.http.rateLimitPerSecond, burst: config.http.rateLimitBurst }, webhookDestinations, protectMetrics: config.http.protectMetrics, transportReady: async () => await transport.store.reachable(), ...(config.relay.grpcPort === undefined ? {} : { relayAccounts: () => transport.store.relay.count(), relayPanel: { gatewayClients: transport.store.gatewayClients.clients } }), ...(relayPublisher === undefined ? {} : { relayUnknownPublications: relayPublisher.countUnknown }), ...relayIngress.httpFront(relayRoutes), log })
  started.push(async () => { await app.close() })
  const url = await listenHttp(app, { host: options.httpHost, port: options.httpPort, hostOption: '--host', portOption: '--port' })
  const relayVault = await startConfiguredRelayVault(config.relay, transport.store, log, outbound)
  if (relayVault !== undefined) started.push(async () => { await relayVault.close() })
  const publisherServer = await relayPublisher?.start()
  if (publisherServer !== undefined) started.push(async () => { await publisherServer.close() })
  return {
    url,
    store: transport.store.location,
    demo,
    newApiKey,
    newTestApiKey,
    apiKeyFile: apiKeys.file,
    newOperatorKey,
    smsc: simulator === undefined ? undefined : `127.0.0.1:${simulator.address.port}`,
    simulator,
    relayGrpcPort: relayVault?.port,
    relayPublisherGrpcPort: publisherServer?.port,
    // Stops what it started, last first: the same list a failed start unwinds.
    close: async () => { for (const stop of [...started].reverse()) await stop() }
  }
}

/**
 * The vault password: configured, or read from `vault.passwordFile`; the published one of the
 * built-in vault (spec §8) only for that vault (the demo's is set by its overrides).
 */
async function vaultPasswordOf (config: GatewayConfig): Promise<string> {
  if (config.vault.password !== undefined) return config.vault.password
  if (config.vault.passwordFile !== undefined) return await readVaultPasswordFile(config.vault.passwordFile)
  if (config.vault.file === BUILTIN_VAULT_FILE) return BUILTIN_VAULT_PASSWORD
  throw new SmsgwError(errorCodes.vaultPassword, `no password for the vault ${config.vault.file}: set vault.passwordFile or SMSGW_VAULT_PASSWORD`)
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
