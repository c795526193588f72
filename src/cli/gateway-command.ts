import type { Command } from 'commander'
import { BUILTIN_VAULT_FILE, BUILTIN_VAULT_PASSWORD, type GatewayConfig } from '../config/index.ts'
import { DEFAULT_DATA_DIR, dataDirOf } from '../config/data-dir.ts'
import type { ProgramIo } from './program-io.ts'
import { onStopSignals } from './stop-signals.ts'
import { resolveVaultPassword } from './vault-password.ts'

/** `smsgw gateway`: the outbound gateway on Kafka, until SIGTERM or SIGINT. */
export function addGatewayCommand (program: Command, io: ProgramIo): void {
  program.command('gateway')
    .description('run the outbound gateway: consume send-sms, open, route, report on sms-status')
    .option('--config <file>', 'configuration file: YAML, JSON, or the Java gateway\'s .properties')
    .option('--brokers <list>', 'Kafka bootstrap brokers, comma-separated (overrides the configuration)')
    .option('--http-port <port>', 'also serve the HTTP API (an ingress to send-sms), metrics and the dashboard on this port')
    .option('--http-host <host>', 'address of the HTTP API', '127.0.0.1')
    .option('--data <dir>', 'folder of the relay\'s store smsgw.db when the relay runs (relay.grpcPort or relay.publisherGrpcPort) and store.url names none', dataDirOf(io.env))
    .option('--api-keys <file>', `API key file of the HTTP API (default: $SMSGW_API_KEYS_FILE, else api-keys.json in the data folder of smsgw run: $SMSGW_DATA_DIR, else ${DEFAULT_DATA_DIR})`)
    .action(async (options: { config?: string, brokers?: string, httpPort?: string, httpHost: string, data: string, apiKeys?: string }) => {
      // Loaded here, not at the top: the other commands need none of it and start faster.
      const { loadConfigWithWarnings, logConfigWarnings } = await import('../config/index.ts')
      const { createLogger } = await import('../log/logger.ts')
      const { startKafkaApp } = await import('../app/kafka-app.ts')
      const { config, warnings } = await loadConfigWithWarnings({
        file: options.config,
        env: io.env,
        overrides: options.brokers === undefined ? {} : { kafka: { brokers: options.brokers.split(',').map(broker => broker.trim()) } }
      })
      const log = createLogger({ level: config.log.level })
      logConfigWarnings(log, warnings)
      const password = await vaultPasswordOf(config, io)
      const http = options.httpPort === undefined ? undefined : { host: options.httpHost, port: Number(options.httpPort), apiKeysFile: await apiKeysFileOf(options.apiKeys, io) }
      // Listening from before the start: a signal during it stops the gateway once it runs (the
      // default action would kill it mid-start). A second signal means "now": the ledger keeps
      // unsettled requests from being sent twice.
      const started: { app?: Awaited<ReturnType<typeof startKafkaApp>> } = {}
      let stopRequested = false
      const signals = onStopSignals(io, signal => {
        log.info({ signal }, 'stopping')
        stopRequested = true
        void started.app?.close()
      })
      const app = await startKafkaApp(config, password, log, http, options.data)
      started.app = app
      if (app.url !== undefined) log.info({ url: app.url }, 'HTTP API, metrics and dashboard listening')
      if (stopRequested) void app.close()
      await app.running.done
      await app.close()
      log.flush()
      await signals.graceOver()
    })
}

async function vaultPasswordOf (config: GatewayConfig, io: ProgramIo): Promise<string> {
  if (config.vault.password !== undefined) return config.vault.password
  if (config.vault.passwordFile === undefined && config.vault.file === BUILTIN_VAULT_FILE) return BUILTIN_VAULT_PASSWORD
  return await resolveVaultPassword({ passwordFile: config.vault.passwordFile }, io)
}

/** The API key file: --api-keys, else as `smsgw api-key` finds it (apiKeyFilePath). */
async function apiKeysFileOf (option: string | undefined, io: ProgramIo): Promise<string> {
  const { apiKeyFilePath } = await import('../http/api-keys/index.ts')
  return apiKeyFilePath(option, io.env)
}
