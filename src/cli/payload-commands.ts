import type { Command } from 'commander'
import { createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { decodeBase64 } from '../crypto/base64.ts'
import { allowedPayloadFormats, openPayload, sealPayload, type PayloadFormat } from '../crypto/payload/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import { formatSmsText } from '../sms/sms-text.ts'
import type { ProgramIo } from './program-io.ts'
import { loadVault, passwordOption, splitLegacyPassword, type VaultOptions } from './vault-access.ts'

const formatOption = ['--format <format>', `payload format: ${allowedPayloadFormats.join(' or ')}`, 'legacy'] as const

export function addPayloadCommands (program: Command, io: ProgramIo): void {
  program.command('encrypt')
    .description('seal standard input to the public key in PUBFILE; prints base64 without a newline')
    .argument('<pubfile>', 'file with the client\'s public key: base64 SubjectPublicKeyInfo DER')
    .option(...formatOption)
    .action(async (pubfile: string, options: { format: string }) => {
      const publicKey = await readPublicKeyFile(pubfile)
      await io.writeStdout(sealPayload(publicKey, await io.readStdin(), checkFormat(options.format)))
    })

  program.command('enc-sms')
    .description('build SMS text (To, Sender, body) and seal it to the public key in PUBFILE')
    .argument('<pubfile>', 'file with the client\'s public key: base64 SubjectPublicKeyInfo DER')
    .argument('<recipient>', 'recipient in international format, e.g. +31629845432')
    .argument('<sender>', 'sender name or number (1-11 characters for most SMSCs)')
    .argument('<message...>', 'message body; several words are joined by spaces')
    .option(...formatOption)
    .action(async (pubfile: string, recipient: string, sender: string, words: string[], options: { format: string }) => {
      const publicKey = await readPublicKeyFile(pubfile)
      const text = formatSmsText({ To: recipient, Sender: sender }, words.join(' '))
      await io.writeStdout(sealPayload(publicKey, Buffer.from(text, 'utf8'), checkFormat(options.format)))
    })

  passwordOption(program.command('decrypt'))
    .description('open a base64 payload read from standard input with ALIAS\'s key; prints the plaintext')
    .argument('<vault>', 'PKCS#12 vault file')
    .argument('<alias...>', 'client-id whose key opens the payload (Java order VAULT PASSWORD ALIAS also works)')
    .action(async (vaultFile: string, words: string[], options: VaultOptions) => {
      const { password, value: alias } = splitLegacyPassword(words, 'ALIAS')
      const vault = await loadVault(vaultFile, options, password, io)
      const keys = vault.keysFor(alias)
      if (keys.length === 0) throw new SmsgwError(errorCodes.vaultEntryMissing, `no key for ${alias} in ${vaultFile}`)
      await io.writeStdout(openPayload((await io.readStdin()).toString('latin1'), keys))
    })
}

function checkFormat (format: string): PayloadFormat {
  if (!(allowedPayloadFormats as readonly string[]).includes(format)) {
    throw new SmsgwError(errorCodes.usage, `unknown format '${format}': use ${allowedPayloadFormats.join(' or ')}`)
  }
  return format as PayloadFormat
}

async function readPublicKeyFile (file: string): Promise<KeyObject> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new SmsgwError(errorCodes.badPublicKey, `cannot read public key file ${file}`, { cause })
  })
  const der = decodeBase64(text, `public key in ${file}`)
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' })
  } catch (cause) {
    throw new SmsgwError(errorCodes.badPublicKey, `${file} does not hold a SubjectPublicKeyInfo public key`, { cause })
  }
}
