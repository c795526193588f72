import type { Command } from 'commander'
import { constants } from 'node:fs'
import { mkdir, open, readFile, unlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { loadConfig } from '../config/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import type { RelayKeyFile } from '../relay/vault/key-files.ts'
import type { SealingKeyRing } from '../relay/vault/sealing-key-ring.ts'
import { addGatewayClientCommands } from './gateway-client-command.ts'
import type { ProgramIo } from './program-io.ts'
import { addRelayAppCommand } from './relay-app-command.ts'
import { storeCommand, withStore, type StoreOptions } from './store-command.ts'

const KEY_FILE_MODE = 0o600

/**
 * `smsgw relay new-keys DIR`: the relay's identifier key, password pepper and sealing key ring,
 * written once. An existing file is never replaced: a changed identifier key orphans every
 * account, a changed pepper fails every password, a lost sealing key loses every account.
 *
 * Each action loads the relay modules it uses: at the top, every smsgw process (the gateway's
 * too) would load them for nothing (docs/performance.md, "End to end on Kafka").
 */
export function addRelayCommand (program: Command, io: ProgramIo): void {
  const command = program.command('relay').description('the RelaySMS relay: its keys, accounts and gateway clients, and the app as a command (docs/relay.md)')

  command.command('new-keys')
    .description('write a new identifier key, pepper and sealing key ring into DIR (mode 0600), and print the configuration that names them')
    .argument('<dir>', 'the folder for the key files; created if missing')
    .action(async (dir: string) => {
      const { newRelayKeyTexts, relayKeyFileNames } = await import('../relay/vault/key-files.ts')
      const texts = newRelayKeyTexts(new Date())
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const files = Object.entries(relayKeyFileNames) as Array<[RelayKeyFile, string]>
      // Every file is created before any is written; a refusal removes the ones this call
      // created, so the folder is left as it was.
      const handles = []
      try {
        for (const [setting, name] of files) handles.push({ setting, file: resolve(join(dir, name)), handle: await createExclusive(join(dir, name)) })
        for (const { setting, handle } of handles) {
          await handle.writeFile(texts[setting])
          await handle.sync()
        }
      } catch (error) {
        for (const { file } of handles) await unlink(file).catch(() => {})
        throw error
      } finally {
        for (const { handle } of handles) await handle.close()
      }
      await io.writeStdout(['relay:', ...handles.map(({ setting, file }) => `  ${setting}: ${file}`), ''].join('\n'))
    })

  storeCommand(command.command('rotate-key'), 'relay.sealingKeyFile, store.url', io)
    .description('put a new key first in the sealing key ring file (relay.sealingKeyFile), keeping the old ones, then re-seal every account under it')
    .action(async (options: StoreOptions) => {
      const config = await loadConfig({ file: options.config, env: io.env })
      const ringFile = config.relay.sealingKeyFile
      if (ringFile === undefined) throw new SmsgwError(errorCodes.relayKeyFile, 'relay.sealingKeyFile is not set: rotate-key rewrites that file (a ring given in relay.sealingKey is rotated by putting the new key first)')
      const { rotatedKeyRingText } = await import('../relay/vault/key-files.ts')
      const { parseSealingKeyRing } = await import('../relay/vault/sealing-key-ring.ts')
      const { writeFileAtomic } = await import('../crypto/vault/atomic-write.ts')
      const rotated = rotatedKeyRingText(await readFile(ringFile, 'utf8'), new Date())
      if (!rotated.ok) throw rotated.error
      await writeFileAtomic(ringFile, Buffer.from(rotated.value))
      // The ring just written, from its text: no second read of the file.
      const ring = parseSealingKeyRing(rotated.value)
      if (!ring.ok) throw ring.error
      await io.writeStdout(`${JSON.stringify({ event: 'rotated', keyFile: ringFile, current: ring.value.current.id })}\n`)
      await reseal(io, options, config.store.url, ring.value)
    })

  storeCommand(command.command('reseal'), 'relay.sealingKeyFile or relay.sealingKey, store.url', io)
    .description('seal again under the current key every account value sealed under an older key of the ring')
    .action(async (options: StoreOptions) => {
      const config = await loadConfig({ file: options.config, env: io.env })
      await reseal(io, options, config.store.url, await ringOf(config.relay))
    })

  addAccountCommands(command, io)
  addGatewayClientCommands(command, io)
  addRelayAppCommand(command, io)
}

/**
 * `smsgw relay accounts count|list|delete`: the store's accounts by entity id. An identifier is
 * only ever a digest in the store; `delete` hashes the one it is given and never prints it.
 */
function addAccountCommands (command: Command, io: ProgramIo): void {
  const accounts = command.command('accounts').description('the relay\'s accounts, by entity id (identifiers are stored only as digests)')

  storeCommand(accounts.command('count'), 'store.url', io)
    .description('print how many accounts the store holds')
    .action(async (options: StoreOptions) => {
      const config = await loadConfig({ file: options.config, env: io.env })
      await withStore(options, config.store.url, async store => { await io.writeStdout(`${JSON.stringify({ accounts: await store.relay.count() })}\n`) })
    })

  storeCommand(accounts.command('list'), 'store.url', io)
    .description('print each account as a JSON line: its entity id and when it was created and last changed, no identifier')
    .action(async (options: StoreOptions) => {
      const config = await loadConfig({ file: options.config, env: io.env })
      const { listAccounts } = await import('../relay/vault/account-admin.ts')
      await withStore(options, config.store.url, async store => {
        for await (const account of listAccounts(store.relay)) {
          await io.writeStdout(`${JSON.stringify({ entityId: account.entityId, createdAt: new Date(account.createdAtMs).toISOString(), updatedAt: new Date(account.updatedAtMs).toISOString() })}\n`)
        }
      })
    })

  storeCommand(accounts.command('delete'), 'relay.identifierKeyFile, store.url', io)
    .description('delete the account of a phone number or e-mail address, found by its digest under the identifier key; prints its entity id')
    .argument('<identifier>', 'the phone number (E.164; spaces are removed) or e-mail address; - reads it from standard input, keeping it out of the shell history and the process list')
    .action(async (identifier: string, options: StoreOptions) => {
      // Loaded here, not at the top: it brings the relay's OTP senders and entity context (about
      // 19 MiB of RSS) into every smsgw process, the gateway's too.
      const { identifierKeyOfConfig } = await import('../relay/grpc/entity-context-from-config.ts')
      const config = await loadConfig({ file: options.config, env: io.env })
      const identifierKey = identifierKeyOfConfig(config.relay)
      if (!identifierKey.ok) throw identifierKey.error
      const { removeAccountOf } = await import('../relay/vault/account-admin.ts')
      const given = identifier === '-' ? (await io.readStdin()).toString('utf8').trim() : identifier
      const removed = await withStore(options, config.store.url, async store => await removeAccountOf(store.relay, identifierKey.value, given))
      if (!removed.ok) throw removed.error
      await io.writeStdout(`${JSON.stringify({ event: 'deleted', entityId: removed.value })}\n`)
    })
}

async function ringOf (relay: { readonly sealingKeyFile?: string | undefined, readonly sealingKey?: string | undefined }): Promise<SealingKeyRing> {
  const { loadSealingKeyRing } = await import('../relay/vault/sealing-key-ring.ts')
  const ring = loadSealingKeyRing({ keyFile: relay.sealingKeyFile, key: relay.sealingKey })
  if (!ring.ok) throw ring.error
  return ring.value
}

/**
 * One re-seal pass over the store's accounts; prints its report as one JSON line. Fails (exit 1)
 * when a value opens under no key of the ring: a key was removed too early.
 */
async function reseal (io: ProgramIo, options: StoreOptions, storeUrl: string | undefined, keys: SealingKeyRing): Promise<void> {
  const { resealAccounts } = await import('../relay/vault/reseal.ts')
  const report = await withStore(options, storeUrl, async store => await resealAccounts({ accounts: store.relay, tokens: store.relayTokens, keys }))
  const { tokens } = report
  await io.writeStdout(`${JSON.stringify({ event: 'resealed', current: keys.current.id, resealed: report.resealed, alreadyCurrent: report.current, unopenable: report.unopenable.length, tokensResealed: tokens.resealed, tokensAlreadyCurrent: tokens.current, tokensUnopenable: tokens.unopenable })}\n`)
  if (report.unopenable.length > 0) throw new SmsgwError(errorCodes.relaySealed, `${report.unopenable.length} accounts hold a value no key of the ring opens (a key left the ring too early): ${report.unopenable.slice(0, 10).join(', ')}`)
  if (tokens.unopenable > 0) throw new SmsgwError(errorCodes.relaySealed, `${tokens.unopenable} platform tokens hold a value no key of the ring opens (a key left the ring too early)`)
}

async function createExclusive (file: string): Promise<Awaited<ReturnType<typeof open>>> {
  try {
    return await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, KEY_FILE_MODE)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SmsgwError(errorCodes.relayKeyFile, `${file} exists: smsgw relay new-keys never replaces a key (the accounts sealed or hashed under it would be lost)`)
    throw error
  }
}
