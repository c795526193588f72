import type { Command } from 'commander'
import { constants } from 'node:fs'
import { mkdir, open, unlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { SmsgwError, errorCodes } from '../errors.ts'
import { newRelayKeyTexts, relayKeyFileNames, type RelayKeyFile } from '../relay/vault/key-files.ts'
import type { ProgramIo } from './program-io.ts'

const KEY_FILE_MODE = 0o600

/**
 * `smsgw relay new-keys DIR`: the relay's identifier key, password pepper and sealing key ring,
 * written once. An existing file is never replaced: a changed identifier key orphans every
 * account, a changed pepper fails every password, a lost sealing key loses every account.
 */
export function addRelayCommand (program: Command, io: ProgramIo): void {
  const command = program.command('relay').description('the RelaySMS relay: its keys (docs/relay.md)')

  command.command('new-keys')
    .description('write a new identifier key, pepper and sealing key ring into DIR (mode 0600), and print the configuration that names them')
    .argument('<dir>', 'the folder for the key files; created if missing')
    .action(async (dir: string) => {
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
}

async function createExclusive (file: string): Promise<Awaited<ReturnType<typeof open>>> {
  try {
    return await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, KEY_FILE_MODE)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SmsgwError(errorCodes.relayKeyFile, `${file} exists: smsgw relay new-keys never replaces a key (the accounts sealed or hashed under it would be lost)`)
    throw error
  }
}
