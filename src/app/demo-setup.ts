import { copyFile, mkdir, writeFile, access } from 'node:fs/promises'
import { join } from 'node:path'
import { BUILTIN_VAULT_FILE, BUILTIN_VAULT_PASSWORD } from '../config/index.ts'
import { createKeyPair, Vault } from '../crypto/vault/index.ts'

/** The demo vault is a copy of the built-in one, so its password is the built-in's: a demo secret, never a real one. */
export const DEMO_VAULT_PASSWORD = BUILTIN_VAULT_PASSWORD
/** The demo's SMPP client: unlike `test`, its requests go over SMPP to the simulator. */
export const DEMO_CLIENT = 'demo'
/** The built-in client the loop-back answers (spec §6): no SMSC, statuses chosen by markers in the text. */
export const LOOPBACK_CLIENT = 'test'

export interface DemoFiles {
  readonly vault: string
  /** Public keys to seal to, by client: base64 SPKI DER, as `smsgw vault pubkey` prints them. */
  readonly publicKeys: Readonly<Record<string, string>>
}

/**
 * Makes the demo's files in `dir` on the first start (a vault with the built-in `test` key and a
 * fresh `demo` key, and their public keys) and finds them on later starts.
 */
export async function prepareDemo (dir: string): Promise<DemoFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const vaultFile = join(dir, 'demo.vault')
  if (!await exists(vaultFile)) {
    await copyFile(BUILTIN_VAULT_FILE, vaultFile)
    await createKeyPair(vaultFile, DEMO_VAULT_PASSWORD, DEMO_CLIENT, 'rsa')
  }
  const vault = await Vault.load(vaultFile, DEMO_VAULT_PASSWORD)
  const publicKeys: Record<string, string> = {}
  for (const client of [LOOPBACK_CLIENT, DEMO_CLIENT]) {
    const key = vault.key(client)
    if (key === undefined) continue
    publicKeys[client] = join(dir, `${client}.pub`)
    await writeFile(publicKeys[client], key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'))
  }
  vault.close()
  return { vault: vaultFile, publicKeys }
}

async function exists (file: string): Promise<boolean> {
  return await access(file).then(() => true, () => false)
}
