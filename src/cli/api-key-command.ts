import type { Command } from 'commander'
import type { DestinationPolicy } from '../http/webhooks/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_DATA_DIR, dataDirOf } from '../config/data-dir.ts'
import type { ProgramIo } from './program-io.ts'

interface FileOptions { file?: string }
interface WebhookSetOptions extends FileOptions { config?: string }

const FILE_HELP = `API key file (default: $SMSGW_API_KEYS_FILE, else api-keys.json in the data folder of smsgw run: $SMSGW_DATA_DIR, else ${DEFAULT_DATA_DIR})`

/**
 * `smsgw api-key …`: the keys (and webhooks) of the HTTP API, in the API key file. A key or a
 * secret is one value and ends without a newline, as every one-value result (docs/cli.md).
 */
export function addApiKeyCommand (program: Command, io: ProgramIo): void {
  const apiKey = program.command('api-key').description('manage the HTTP API\'s keys, webhooks and operator keys')

  keyFileCommand(apiKey, 'create')
    .description('make an API key for CLIENT and print it (only this once: it is stored hashed)')
    .argument('<client>', 'client-id the key may send for')
    .action(async (client: string, options: FileOptions) => {
      const created = await (await openKeyFile(options, io, { writing: true })).create(client)
      await io.writeStdout(created.key)
    })

  keyFileCommand(apiKey, 'list')
    .description('list the keys: id, client-id and creation time, tab-separated, one a line (never a secret)')
    .action(async (options: FileOptions) => {
      const keys = await (await openKeyFile(options, io)).list()
      await io.writeStdout(keys.map(key => `${key.id}\t${key.clientId}\t${key.createdAt.toISOString()}\n`).join(''))
    })

  keyFileCommand(apiKey, 'revoke')
    .description('remove the key with this id (a running gateway stops taking it within a second)')
    .argument('<id>', 'the key\'s id, as `list` or `operator list` shows it (or the whole key); client and operator keys alike')
    .action(async (id: string, options: FileOptions) => {
      const { apiKeyIdOf, operatorKeyIdOf } = await import('../http/api-keys/index.ts')
      const store = await openKeyFile(options, io)
      const keyId = apiKeyIdOf(id) ?? operatorKeyIdOf(id) ?? id
      if (!await store.revoke(keyId)) throw new SmsgwError(errorCodes.config, `no API key ${keyId} in ${store.file}`)
    })

  const operator = apiKey.command('operator').description('manage the operator keys (the dashboard\'s login; /metrics with http.protectMetrics)')

  keyFileCommand(operator, 'create')
    .description('make an operator key and print it (only this once: it is stored hashed)')
    .action(async (options: FileOptions) => {
      const created = await (await openKeyFile(options, io, { writing: true })).createOperatorKey()
      await io.writeStdout(created.key)
    })

  keyFileCommand(operator, 'list')
    .description('list the operator keys: id and creation time, tab-separated, one a line (never a secret)')
    .action(async (options: FileOptions) => {
      const keys = await (await openKeyFile(options, io)).listOperatorKeys()
      await io.writeStdout(keys.map(key => `${key.id}\t${key.createdAt.toISOString()}\n`).join(''))
    })

  const webhook = apiKey.command('webhook').description('manage the clients\' webhooks (where their statuses are posted)')

  keyFileCommand(webhook, 'set')
    .description('post CLIENT\'s statuses to URL, signed with a new secret, which is printed (only this once)')
    .argument('<client>', 'client-id')
    .argument('<url>', 'an http: or https: URL; not an internal address unless webhooks.allowedDestinations names it')
    .option('--config <file>', 'the gateway\'s configuration file, for webhooks.allowedDestinations (also read from $SMSGW_WEBHOOKS_ALLOWED_DESTINATIONS)')
    .action(async (client: string, url: string, options: WebhookSetOptions) => {
      const set = await (await openKeyFile(options, io, { writing: true, webhookDestinations: await webhookDestinations(options, io) })).setWebhook(client, url)
      await io.writeStdout(set.secret)
    })

  keyFileCommand(webhook, 'list')
    .description('list the webhooks: client-id and URL, tab-separated, one a line (never a secret)')
    .action(async (options: FileOptions) => {
      const webhooks = await (await openKeyFile(options, io)).webhooks()
      await io.writeStdout(webhooks.map(entry => `${entry.clientId}\t${entry.url}\n`).join(''))
    })

  keyFileCommand(webhook, 'remove')
    .description('stop posting CLIENT\'s statuses')
    .argument('<client>', 'client-id')
    .action(async (client: string, options: FileOptions) => {
      const store = await openKeyFile(options, io)
      if (!await store.removeWebhook(client)) throw new SmsgwError(errorCodes.config, `client ${client} has no webhook in ${store.file}`)
    })
}

/** A subcommand of `parent` that works on the API key file, given with --file. */
function keyFileCommand (parent: Command, name: string): Command {
  return parent.command(name).option('--file <file>', FILE_HELP)
}

/**
 * The key file; `writing` to the default one makes the data folder first, as `smsgw run` would.
 * `webhookDestinations` is the allow-list a webhook set through it must pass.
 */
async function openKeyFile (options: FileOptions, io: ProgramIo, how: { writing?: boolean, webhookDestinations?: DestinationPolicy } = {}) {
  // Loaded here, not at the top: the other commands need none of it and start faster.
  const { ApiKeyFile, apiKeyFilePath, API_KEY_FILE_NAME } = await import('../http/api-keys/index.ts')
  const file = apiKeyFilePath(options.file, io.env)
  const dataDir = dataDirOf(io.env)
  if (how.writing === true && file === join(dataDir, API_KEY_FILE_NAME)) await mkdir(dataDir, { recursive: true, mode: 0o700 })
  return await ApiKeyFile.open(file, how.webhookDestinations === undefined ? {} : { webhookDestinations: how.webhookDestinations })
}

/** The allow-list of the gateway's configuration (file and environment), as the gateway reads it. */
async function webhookDestinations (options: WebhookSetOptions, io: ProgramIo): Promise<DestinationPolicy> {
  const { loadConfig } = await import('../config/index.ts')
  const { DestinationPolicy } = await import('../http/webhooks/index.ts')
  const config = await loadConfig({ file: options.config, env: io.env })
  return DestinationPolicy.allowing(config.webhooks.allowedDestinations)
}
