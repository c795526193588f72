import type { Command } from 'commander'
import { SmsgwError, errorCodes } from '../errors.ts'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_DATA_DIR, dataDirOf } from '../config/data-dir.ts'
import type { ProgramIo } from './program-io.ts'

interface FileOptions { file?: string }

const FILE_HELP = `API key file (default: $SMSGW_API_KEYS_FILE, else api-keys.json in the data folder of smsgw run: $SMSGW_DATA_DIR, else ${DEFAULT_DATA_DIR})`

/**
 * `smsgw api-key …`: the keys (and webhooks) of the HTTP API, in the API key file. A key or a
 * secret is one value and ends without a newline, as every one-value result (docs/cli.md).
 */
export function addApiKeyCommand (program: Command, io: ProgramIo): void {
  const apiKey = program.command('api-key').description('manage the HTTP API\'s keys and webhooks')

  apiKey.command('create')
    .description('make an API key for CLIENT and print it (only this once: it is stored hashed)')
    .argument('<client>', 'client-id the key may send for')
    .option('--file <file>', FILE_HELP)
    .action(async (client: string, options: FileOptions) => {
      const created = await (await openKeyFile(options, true)).create(client)
      await io.writeStdout(created.key)
    })

  apiKey.command('list')
    .description('list the keys: id, client-id and creation time, tab-separated, one a line (never a secret)')
    .option('--file <file>', FILE_HELP)
    .action(async (options: FileOptions) => {
      const keys = await (await openKeyFile(options)).list()
      await io.writeStdout(keys.map(key => `${key.id}\t${key.clientId}\t${key.createdAt.toISOString()}\n`).join(''))
    })

  apiKey.command('revoke')
    .description('remove the key with this id (a running gateway stops taking it within a second)')
    .argument('<id>', 'the key\'s id, as `list` shows it (or the whole key)')
    .option('--file <file>', FILE_HELP)
    .action(async (id: string, options: FileOptions) => {
      const { apiKeyIdOf } = await import('../http/api-keys/index.ts')
      const store = await openKeyFile(options)
      const keyId = apiKeyIdOf(id) ?? id
      if (!await store.revoke(keyId)) throw new SmsgwError(errorCodes.config, `no API key ${keyId} in ${store.file}`)
    })

  const webhook = apiKey.command('webhook').description('manage the clients\' webhooks (where their statuses are posted)')

  webhook.command('set')
    .description('post CLIENT\'s statuses to URL, signed with a new secret, which is printed (only this once)')
    .argument('<client>', 'client-id')
    .argument('<url>', 'an http: or https: URL')
    .option('--file <file>', FILE_HELP)
    .action(async (client: string, url: string, options: FileOptions) => {
      const set = await (await openKeyFile(options, true)).setWebhook(client, url)
      await io.writeStdout(set.secret)
    })

  webhook.command('list')
    .description('list the webhooks: client-id and URL, tab-separated, one a line (never a secret)')
    .option('--file <file>', FILE_HELP)
    .action(async (options: FileOptions) => {
      const webhooks = await (await openKeyFile(options)).webhooks()
      await io.writeStdout(webhooks.map(entry => `${entry.clientId}\t${entry.url}\n`).join(''))
    })

  webhook.command('remove')
    .description('stop posting CLIENT\'s statuses')
    .argument('<client>', 'client-id')
    .option('--file <file>', FILE_HELP)
    .action(async (client: string, options: FileOptions) => {
      const store = await openKeyFile(options)
      if (!await store.removeWebhook(client)) throw new SmsgwError(errorCodes.config, `client ${client} has no webhook in ${store.file}`)
    })
}

/** The key file; `writing` to the default one makes the data folder first, as `smsgw run` would. */
async function openKeyFile (options: FileOptions, writing = false) {
  // Loaded here, not at the top: the other commands need none of it and start faster.
  const { ApiKeyFile, apiKeyFilePath, API_KEY_FILE_NAME } = await import('../http/api-keys/index.ts')
  const file = apiKeyFilePath(options.file, process.env)
  const dataDir = dataDirOf(process.env)
  if (writing && file === join(dataDir, API_KEY_FILE_NAME)) await mkdir(dataDir, { recursive: true, mode: 0o700 })
  return await ApiKeyFile.open(file)
}
