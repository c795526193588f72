import { envVarName } from '../config/index.ts'
import { readVaultPasswordFile } from '../crypto/vault/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import { warn, type ProgramIo } from './program-io.ts'

/** The gateway's `vault.password` setting, whose variable the vault commands read too. */
const VAULT_PASSWORD_ENV = envVarName(['vault', 'password'])

export interface PasswordSources {
  passwordFile?: string | undefined
  /** A password given on the command line in the Java sms-client's argument order. */
  positional?: string | undefined
}

/**
 * Finds the vault password: --password-file, then $SMSGW_VAULT_PASSWORD, then a positional
 * one (legacy scripts, with a warning), then a prompt on the terminal. Never logged.
 */
export async function resolveVaultPassword (sources: PasswordSources, io: ProgramIo): Promise<string> {
  if (sources.passwordFile !== undefined) return await readVaultPasswordFile(sources.passwordFile)
  const fromEnv = io.env[VAULT_PASSWORD_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (sources.positional !== undefined) {
    warn(io, 'a password on the command line is visible to other users; use --password-file or $SMSGW_VAULT_PASSWORD')
    return sources.positional
  }
  const typed = await io.promptHidden('Vault password: ')
  if (typed === undefined) {
    throw new SmsgwError(errorCodes.vaultPassword, `no vault password: give --password-file FILE or set ${VAULT_PASSWORD_ENV}`)
  }
  return typed
}
