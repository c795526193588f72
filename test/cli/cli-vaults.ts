import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { asText, smsgw, TEST_PASSWORD } from './cli-fixtures.ts'

// The vault the `smsgw vault …` tests share, made by the CLI itself: an X25519 key for XClient
// and an RSA key for Client1, under TEST_PASSWORD, given in a password file.

export interface CliVault {
  /** The vault file. */
  readonly file: string
  /** The options that give its password: --password-file FILE. */
  readonly withPassword: readonly string[]
  /** `smsgw vault pubkey` of `client` in `vault` (this one or a copy); asserts it succeeded and resolves to the base64 text. */
  readonly pubkey: (vault: string, client: string) => Promise<string>
}

/** Makes the shared vault in `folder`. XClient first, so that the sorted listing differs from the file's order. */
export async function makeCliVault (folder: string): Promise<CliVault> {
  const passwordFile = join(folder, 'password')
  const file = join(folder, 'ours.p12')
  const withPassword = ['--password-file', passwordFile]
  await writeFile(passwordFile, `${TEST_PASSWORD}\n`)
  const made = [
    await smsgw(['vault', 'new-keypair', ...withPassword, '--type', 'x25519', file, 'XClient']),
    await smsgw(['vault', 'new-keypair', ...withPassword, file, 'Client1'])
  ]
  assert.deepStrictEqual(made.map(asText), [
    { code: 0, stdout: '', stderr: '' },
    { code: 0, stdout: '', stderr: '' }
  ])
  const pubkey = async (vault: string, client: string): Promise<string> => {
    const result = await smsgw(['vault', 'pubkey', ...withPassword, vault, client])
    assert.deepStrictEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: '' })
    return result.stdout.toString('latin1')
  }
  return { file, withPassword, pubkey }
}
