import type { Command } from 'commander'
import { Vault } from '../crypto/vault/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import type { ProgramIo } from './program-io.ts'
import { resolveVaultPassword } from './vault-password.ts'

export interface VaultOptions {
  passwordFile?: string
}

export function passwordOption (command: Command): Command {
  return command.option('--password-file <file>', 'read the vault password from FILE (else $SMSGW_VAULT_PASSWORD, else a prompt)')
}

/**
 * The Java sms-client put the store password between the vault and the last argument
 * (`pubkey VAULT [PASS] ALIAS`). Accepts both forms: one word is the value, two are
 * password and value.
 */
export function splitLegacyPassword (words: readonly string[], name: string): { password?: string, value: string } {
  if (words.length === 1) return { value: words[0] as string }
  if (words.length === 2) return { password: words[0] as string, value: words[1] as string }
  throw new SmsgwError(errorCodes.usage, `expected VAULT [PASSWORD] ${name}, got ${words.length + 1} arguments`)
}

export async function vaultPassword (options: VaultOptions, positional: string | undefined, io: ProgramIo): Promise<string> {
  return await resolveVaultPassword({ passwordFile: options.passwordFile, positional }, io)
}

export async function loadVault (file: string, options: VaultOptions, positional: string | undefined, io: ProgramIo): Promise<Vault> {
  return await Vault.load(file, await vaultPassword(options, positional, io))
}
