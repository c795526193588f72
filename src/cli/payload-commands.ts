import type { Command } from 'commander'
import { allowedPayloadFormats, openPayload, sealPayload } from '../crypto/payload/index.ts'
import type { Vault, VaultKey } from '../crypto/vault/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import { formatSmsText } from '../sms/sms-text.ts'
import { checkFormat } from './choices.ts'
import { readPublicKeyFile } from './public-key-file.ts'
import type { ProgramIo } from './program-io.ts'
import { loadVault, passwordOption, splitLegacyPassword, type VaultOptions } from './vault-access.ts'

const formatOption = ['--format <format>', `payload format: ${allowedPayloadFormats.join(' or ')}`, 'legacy'] as const

export function addPayloadCommands (program: Command, io: ProgramIo): void {
  program.command('encrypt')
    .description('seal standard input to the public key in PUBFILE; prints base64 without a newline')
    .argument('<pubfile>', 'file with the client\'s public key: base64 SubjectPublicKeyInfo DER')
    .option(...formatOption)
    .action(async (pubfile: string, options: { format: string }) => {
      // Usage errors come before reading the key file and standard input, which may be a terminal.
      const format = checkFormat(options.format)
      const publicKey = await readPublicKeyFile(pubfile)
      await io.writeStdout(sealPayload(publicKey, await io.readStdin(), format))
    })

  program.command('enc-sms')
    .description('build SMS text (To, Sender, body) and seal it to the public key in PUBFILE')
    .argument('<pubfile>', 'file with the client\'s public key: base64 SubjectPublicKeyInfo DER')
    .argument('<recipient>', 'recipient in international format, e.g. +31629845432')
    .argument('<sender>', 'sender name or number (1-11 characters for most SMSCs)')
    .argument('<message...>', 'message body; several words are joined by spaces')
    .option(...formatOption)
    .action(async (pubfile: string, recipient: string, sender: string, words: string[], options: { format: string }) => {
      const format = checkFormat(options.format)
      const publicKey = await readPublicKeyFile(pubfile)
      const text = formatSmsText({ To: recipient, Sender: sender }, words.join(' '))
      await io.writeStdout(sealPayload(publicKey, Buffer.from(text, 'utf8'), format))
    })

  passwordOption(program.command('decrypt'))
    .description('open a base64 payload read from standard input with ALIAS\'s key; prints the plaintext')
    .argument('<vault>', 'PKCS#12 vault file')
    .argument('<alias...>', 'client-id whose key opens the payload (Java order VAULT PASSWORD ALIAS also works)')
    .action(async (vaultFile: string, words: string[], options: VaultOptions) => {
      const { password, value: alias } = splitLegacyPassword(words, 'ALIAS')
      const vault = await loadVault(vaultFile, options, password, io)
      const keys = keysForAlias(vault, alias)
      if (keys.length === 0) throw new SmsgwError(errorCodes.vaultEntryMissing, `no key for ${alias} in ${vaultFile}`)
      await io.writeStdout(openPayload((await io.readStdin()).toString('latin1'), keys))
    })
}

/**
 * A client-id gives its current and retired keys. Any other alias that `vault aliases` lists
 * (a retired `client~<key id>`) gives its own key, as `vault pubkey` does.
 */
function keysForAlias (vault: Vault, alias: string): readonly VaultKey[] {
  const keys = vault.keysFor(alias)
  if (keys.length > 0) return keys
  const key = vault.key(alias)
  return key === undefined ? [] : [key]
}
