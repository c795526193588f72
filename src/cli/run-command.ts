import type { Command } from 'commander'
import { dataDirOf } from '../config/data-dir.ts'
import type { ProgramIo } from './program-io.ts'
import type { RelayDemoWelcome } from './relay-demo-welcome.ts'
import { onStopSignals } from './stop-signals.ts'

interface RunOptions { data: string, config?: string, store?: string, host: string, port: string, smscPort: string }

/** `smsgw run`: everything on one machine, no Kafka: the default of `npm start`. */
export function addRunCommand (program: Command, io: ProgramIo): void {
  program.command('run')
    .description('run the whole gateway on this machine: durable queue, HTTP API, dashboard; without --config, a demo of both directions (SMSC and platform simulators, the relay)')
    .option('--data <dir>', 'folder of the store, the demo vault and the API keys (api-keys.json unless $SMSGW_API_KEYS_FILE names another)', dataDirOf(io.env))
    .option('--config <file>', 'configuration file (without it the demo defaults apply)')
    .option('--store <url>', 'a postgres:// URL to keep the queue and statuses in PostgreSQL (default: smsgw.db in the data folder; config store.url, $SMSGW_STORE_URL)')
    .option('--host <host>', 'address the HTTP API listens on', '127.0.0.1')
    .option('--port <port>', 'port of the HTTP API', '8080')
    .option('--smsc-port <port>', 'port of the demo SMSC simulator (a free one if taken)', '2775')
    .action(async (options: RunOptions) => {
      // Loaded here, not at the top: the other commands need none of it and start faster.
      const { startEmbeddedApp } = await import('../app/embedded-app.ts')
      const { loadConfig } = await import('../config/index.ts')
      const { createLogger } = await import('../log/logger.ts')
      // The log level as the app will read its configuration; the app loads it again, with the
      // demo's settings, once the logger exists to report on it.
      const log = createLogger({ level: (await loadConfig({ file: options.config, env: io.env })).log.level })
      const app = await startEmbeddedApp({ dataDir: options.data, configFile: options.config, storeUrl: options.store, httpHost: options.host, httpPort: Number(options.port), smscPort: Number(options.smscPort), log, env: io.env })
      // Listening before the welcome: a Ctrl-C right after it stops cleanly, not by the default action.
      let stopRequested = (): void => {}
      const stopped = new Promise<void>(resolve => { stopRequested = resolve })
      const signals = onStopSignals(io, () => { stopRequested() })
      await io.writeStdout(await welcome(app.url, options.data, app))
      await stopped
      await app.close()
      log.flush()
      await signals.graceOver()
    })
}

async function welcome (url: string, data: string, app: Omit<RelayDemoWelcome, 'url' | 'relayDemo'> & { relayDemo: RelayDemoWelcome['relayDemo'] | undefined, store: string, demo: { publicKeys: Readonly<Record<string, string>> } | undefined, newApiKey: string | undefined, newTestApiKey: string | undefined, apiKeyFile: string, newOperatorKey: string | undefined, smsc: string | undefined }): Promise<string> {
  // Loaded here, not at the top: its demo constants come with the relay demo, the platform and
  // SMSC simulators (about 14 MiB of RSS), which the app has loaded by now and no other command needs.
  const { relayDemoLines, relayDemoSummary } = await import('./relay-demo-welcome.ts')
  const operatorKey = app.newOperatorKey === undefined
    ? `<the operator key printed at the first start; or: bin/smsgw api-key operator create --file ${app.apiKeyFile}>`
    : `${app.newOperatorKey}   (shown once: the dashboard's login)`
  const lines = [
    '',
    `smsgw is running (keys in ${data}/, store ${app.store}):`,
    `  dashboard   ${url}/dashboard`,
    `  operator    ${operatorKey}`,
    `  API docs    ${url}/docs`,
    `  metrics     ${url}/metrics   health ${url}/healthz ${url}/readyz`
  ]
  if (app.smsc !== undefined) lines.push(`  SMSC        simulator on ${app.smsc} (clients: test answers by loop-back, demo goes over SMPP)`)
  const relayDemo = app.relayDemo === undefined ? undefined : { ...app, url, relayDemo: app.relayDemo }
  if (relayDemo !== undefined) lines.push(...relayDemoSummary(relayDemo))
  if (app.demo !== undefined) {
    const key = app.newApiKey === undefined ? `<the demo key printed at the first start; or: bin/smsgw api-key create demo --file ${app.apiKeyFile}>` : app.newApiKey
    lines.push(
      '',
      app.newApiKey === undefined ? 'Send a first sealed SMS:' : `The demo client's API key (shown once): ${app.newApiKey}`,
      '',
      `  KEY=${key}`,
      `  PAYLOAD=$(bin/smsgw enc-sms ${app.demo.publicKeys.demo ?? `${data}/demo.pub`} +255712345678 DEMO "Hello from smsgw")`,
      '  curl -s -H "Authorization: Bearer $KEY" -H \'Content-Type: application/json\' \\',
      `    -d "{\\"client-id\\":\\"demo\\",\\"correl-id\\":\\"first\\",\\"deadline\\":\\"2100-01-01T00:00:00Z\\",\\"payload\\":\\"$PAYLOAD\\"}" ${url}/v1/messages`,
      `  curl -s -H "Authorization: Bearer $KEY" ${url}/v1/messages/first      # SENT, then DELIVERED`
    )
    lines.push(...loopBackLines(url, data, app))
  }
  if (relayDemo !== undefined) lines.push(...relayDemoLines(relayDemo))
  lines.push('', 'Ctrl-C stops it.', '')
  return lines.join('\n')
}

/**
 * How to reach the loop-back client `test` (spec §6): its key (shown once), or on later starts
 * the command that makes one in the API key file this gateway reads.
 */
function loopBackLines (url: string, data: string, app: { demo: { publicKeys: Readonly<Record<string, string>> } | undefined, newTestApiKey: string | undefined, apiKeyFile: string }): string[] {
  const key = app.newTestApiKey ?? `$(bin/smsgw api-key create test --file ${app.apiKeyFile})`
  return [
    '',
    app.newTestApiKey === undefined
      ? 'The loop-back client test (no SMSC; markers in the text choose its statuses, docs/http-api.md):'
      : `The loop-back client test's API key (shown once): ${app.newTestApiKey}`,
    '',
    `  TEST_KEY=${key}`,
    `  TEST_PAYLOAD=$(bin/smsgw enc-sms ${app.demo?.publicKeys.test ?? `${data}/test.pub`} +31629845432 ACME "Hello S1D1")`,
    '  curl -s -H "Authorization: Bearer $TEST_KEY" -H \'Content-Type: application/json\' \\',
    `    -d "{\\"client-id\\":\\"test\\",\\"correl-id\\":\\"first-test\\",\\"deadline\\":\\"2100-01-01T00:00:00Z\\",\\"payload\\":\\"$TEST_PAYLOAD\\"}" ${url}/v1/messages`,
    `  curl -s -H "Authorization: Bearer $TEST_KEY" ${url}/v1/messages/first-test      # SENT, then DELIVERED (S1D1)`
  ]
}
