import { readFile } from 'node:fs/promises'
import { errorCodes, SmsgwError } from '../../errors.ts'

/**
 * The vault password held in `file` (`--password-file`, config `vault.passwordFile`, a systemd
 * credential). One final `\n` or `\r\n` is dropped: a password file ends in a newline more often
 * than not; the password does not. Rejects with SMSGW_VAULT_PASSWORD when the file cannot be read.
 */
export async function readVaultPasswordFile (file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new SmsgwError(errorCodes.vaultPassword, `cannot read password file ${file}`, { cause })
  })
  return text.replace(/\r?\n$/, '')
}
