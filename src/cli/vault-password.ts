import { readVaultPasswordFile } from '../crypto/vault/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import { promptHidden } from './terminal.ts'

export const VAULT_PASSWORD_ENV = 'SMSGW_VAULT_PASSWORD'

export interface PasswordSources {
  passwordFile?: string | undefined
  /** A password given on the command line in the Java sms-client's argument order. */
  positional?: string | undefined
}

/**
 * Finds the vault password: --password-file, then $SMSGW_VAULT_PASSWORD, then a positional
 * one (legacy scripts, with a warning), then a prompt on the terminal. Never logged.
 */
export async function resolveVaultPassword (sources: PasswordSources, warn: (line: string) => void): Promise<string> {
  if (sources.passwordFile !== undefined) return await readVaultPasswordFile(sources.passwordFile)
  const fromEnv = process.env[VAULT_PASSWORD_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (sources.positional !== undefined) {
    warn('a password on the command line is visible to other users; use --password-file or $SMSGW_VAULT_PASSWORD')
    return sources.positional
  }
  const typed = await promptHidden('Vault password: ')
  if (typed === undefined) {
    throw new SmsgwError(errorCodes.vaultPassword, `no vault password: give --password-file FILE or set ${VAULT_PASSWORD_ENV}`)
  }
  return typed
}
