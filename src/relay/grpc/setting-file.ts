import { readFileSync } from 'node:fs'
import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'

/**
 * The bytes of the file a relay setting names (a key, a password, a certificate). Unreadable, it
 * is SMSGW_RELAY_KEY_FILE naming the setting, the path and the reason, never any content.
 */
export function readSettingFile (path: string, setting: string): Outcome<Buffer> {
  try {
    return succeed(readFileSync(path))
  } catch (error) {
    return fail(errorCodes.relayKeyFile, `cannot read ${setting} (${path}): ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
}

/** A secret kept as the first line of its file: an editor's trailing newline is not part of it. */
export function firstLineOf (text: string): string {
  return text.split(/\r?\n/)[0] ?? ''
}
