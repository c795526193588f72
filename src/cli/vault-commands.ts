import type { Command } from 'commander'
import { allowedKeyTypes, createKeyPair, removeEntry, rotateKey } from '../crypto/vault/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import { checkKeyType } from './choices.ts'
import type { ProgramIo } from './program-io.ts'
import { loadVault, passwordOption, splitLegacyPassword, vaultPassword, type VaultOptions } from './vault-access.ts'

interface KeyTypeOptions extends VaultOptions { type: string }

/** `smsgw vault …`, plus the Java sms-client's top-level names for the commands it had. */
export function addVaultCommands (program: Command, io: ProgramIo): void {
  const vault = program.command('vault').description('manage the PKCS#12 vault of client keys')
  for (const parent of [vault, program]) {
    const legacyName = parent === program
    addNewKeypair(parent, io, legacyName)
    addAliases(parent, io, legacyName)
    addPubkey(parent, io, legacyName)
  }
  addRemove(vault, io)
  addRotate(vault, io)
}

function addNewKeypair (parent: Command, io: ProgramIo, legacyName: boolean): void {
  passwordOption(parent.command('new-keypair', { hidden: legacyName }))
    .description('create a key pair for CLIENT (creates VAULT if missing)')
    .argument('<vault>', 'PKCS#12 vault file')
    .argument('<client...>', 'client-id (Java order VAULT PASSWORD CLIENT also works)')
    .option('--type <type>', `key type: ${allowedKeyTypes.join(' or ')}`, 'rsa')
    .action(async (file: string, words: string[], options: KeyTypeOptions) => {
      // Usage errors come before the password, which may be a prompt.
      const type = checkKeyType(options.type)
      const { password, value: client } = splitLegacyPassword(words, 'CLIENT')
      await createKeyPair(file, await vaultPassword(options, password, io), client, type)
    })
}

function addAliases (parent: Command, io: ProgramIo, legacyName: boolean): void {
  passwordOption(parent.command('aliases', { hidden: legacyName }))
    .description('list the aliases (client-ids) in VAULT, one a line')
    .argument('<vault>', 'PKCS#12 vault file')
    .argument('[password]', 'store password (Java sms-client order; prefer --password-file)')
    .action(async (file: string, password: string | undefined, options: VaultOptions) => {
      const vault = await loadVault(file, options, password, io)
      await io.writeStdout(vault.aliases().map(alias => `${alias}\n`).join(''))
    })
}

function addPubkey (parent: Command, io: ProgramIo, legacyName: boolean): void {
  passwordOption(parent.command('pubkey', { hidden: legacyName }))
    .description('print CLIENT\'s public key: base64 SubjectPublicKeyInfo DER, no newline')
    .argument('<vault>', 'PKCS#12 vault file')
    .argument('<client...>', 'client-id (Java order VAULT PASSWORD CLIENT also works)')
    .action(async (file: string, words: string[], options: VaultOptions) => {
      const { password, value: client } = splitLegacyPassword(words, 'CLIENT')
      const key = (await loadVault(file, options, password, io)).key(client)
      if (key === undefined) throw new SmsgwError(errorCodes.vaultEntryMissing, `no key for ${client} in ${file}`)
      await io.writeStdout(key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'))
    })
}

function addRemove (parent: Command, io: ProgramIo): void {
  passwordOption(parent.command('remove'))
    .description('remove CLIENT\'s key from VAULT')
    .argument('<vault>', 'PKCS#12 vault file')
    .argument('<client>', 'client-id')
    .action(async (file: string, client: string, options: VaultOptions) => {
      await removeEntry(file, await vaultPassword(options, undefined, io), client)
    })
}

function addRotate (parent: Command, io: ProgramIo): void {
  passwordOption(parent.command('rotate'))
    .description('give CLIENT a new key; the old one stays as CLIENT~<key id> so v2 payloads sealed to it still open')
    .argument('<vault>', 'PKCS#12 vault file')
    .argument('<client>', 'client-id')
    .option('--type <type>', `key type: ${allowedKeyTypes.join(' or ')}`, 'rsa')
    .action(async (file: string, client: string, options: KeyTypeOptions) => {
      const type = checkKeyType(options.type)
      await rotateKey(file, await vaultPassword(options, undefined, io), client, type)
    })
}
