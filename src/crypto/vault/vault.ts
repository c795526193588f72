import { isSmsgwError, SmsgwError } from '../../errors.ts'
import { readFileSnapshot, statFileVersion } from './file-snapshot.ts'
import type { FileVersion } from './file-snapshot.ts'
import { decodePkcs12 } from './pkcs12.ts'
import { indexVaultKeys } from './vault-index.ts'
import type { SkippedEntry, VaultIndex } from './vault-index.ts'
import type { VaultKey } from './vault-key.ts'

export interface VaultWatchOptions {
  /** How often to stat the file, in milliseconds (vault.reloadIntervalMs). */
  readonly intervalMs: number
  /** Called after the keys were replaced by those of a changed file. */
  readonly onReload?: (vault: Vault) => void
  /** Called when a changed file could not be read; the vault keeps its keys meanwhile. */
  readonly onError?: (error: Error) => void
}

const NO_KEYS: VaultKey[] = Object.freeze([]) as unknown as VaultKey[]

/** Adds the file name to an error from below, keeping its code. */
function inFile (file: string, error: unknown): unknown {
  if (!isSmsgwError(error) || error.message.includes(file)) return error
  return new SmsgwError(error.code, `${file}: ${error.message}`, { cause: error, retryable: error.retryable })
}

async function readIndex (file: string, password: string): Promise<{ index: VaultIndex, version: FileVersion }> {
  const { bytes, version } = await readFileSnapshot(file)
  try {
    return { index: indexVaultKeys((await decodePkcs12(bytes, password)).keys), version }
  } catch (error) {
    throw inFile(file, error)
  }
}

/**
 * An in-memory view of one vault file: the private keys of the clients, decrypted once and
 * looked up without I/O. Follows changes to the file through refresh() or watch().
 */
export class Vault {
  readonly #file: string
  readonly #password: string
  #index: VaultIndex
  #version: FileVersion
  /** The version whose reading failed, so an unchanged broken file is not decrypted again and again. */
  #failedVersion: FileVersion | undefined
  #refreshing: Promise<boolean> | undefined
  #timer: NodeJS.Timeout | undefined

  private constructor (file: string, password: string, index: VaultIndex, version: FileVersion) {
    this.#file = file
    this.#password = password
    this.#index = index
    this.#version = version
  }

  /**
   * Reads and decrypts `file`. Rejects with SMSGW_VAULT_PASSWORD for a wrong password,
   * SMSGW_VAULT_UNREADABLE when the file cannot be read, SMSGW_BAD_ASN1 when it is not
   * PKCS#12, SMSGW_VAULT_UNSUPPORTED for ciphers we cannot run.
   */
  static async load (file: string, password: string): Promise<Vault> {
    const { index, version } = await readIndex(file, password)
    return new Vault(file, password, index, version)
  }

  get file (): string {
    return this.#file
  }

  /**
   * The keys a client may have sealed to: the entry whose alias is `clientId` (any case) first,
   * then its retired keys `<clientId>~<key id hex>`. Empty when there are none. One map lookup;
   * the array is shared and frozen, do not modify it.
   */
  keysFor (clientId: string): VaultKey[] {
    const byClient = this.#index.keysByClient
    return byClient.get(clientId) ?? byClient.get(clientId.toLowerCase()) ?? NO_KEYS
  }

  /** The key stored under `alias` (any case), current or retired. */
  key (alias: string): VaultKey | undefined {
    return this.#index.keysByAlias.get(alias.toLowerCase())
  }

  /** The aliases of the usable keys, as stored, sorted. */
  aliases (): string[] {
    return [...this.#index.keysByAlias.values()].map(key => key.alias).sort()
  }

  /** The entries of the file the gateway cannot use (say an EC key), with the reason. */
  skipped (): SkippedEntry[] {
    return [...this.#index.skipped]
  }

  /**
   * Re-reads the file when it changed since the last read (inode, size, mtime or ctime; a
   * stat otherwise). Resolves to true when the keys were replaced, false when the file had
   * not changed since the last attempt. When the changed file cannot be read (half-written by
   * another tool, or replaced by garbage), rejects with that error and keeps the current keys;
   * the same version is not tried again. Concurrent calls share one attempt.
   */
  async refresh (): Promise<boolean> {
    this.#refreshing ??= this.#refreshOnce().finally(() => { this.#refreshing = undefined })
    return await this.#refreshing
  }

  async #refreshOnce (): Promise<boolean> {
    let version: FileVersion
    try {
      version = await statFileVersion(this.#file)
    } catch (error) {
      if (this.#failedVersion === 'missing') return false
      this.#failedVersion = 'missing'
      throw error
    }
    if (version === this.#version || version === this.#failedVersion) return false
    try {
      const loaded = await readIndex(this.#file, this.#password)
      this.#index = loaded.index
      this.#version = loaded.version
      this.#failedVersion = undefined
      return true
    } catch (error) {
      this.#failedVersion = version
      throw error
    }
  }

  /**
   * Calls refresh() every `intervalMs` on a timer that does not keep the process alive, until
   * close(). Calling it again replaces the previous timer.
   */
  watch (options: VaultWatchOptions): void {
    this.close()
    const { intervalMs, onReload, onError } = options
    this.#timer = setInterval(() => {
      this.refresh().then(
        reloaded => { if (reloaded) onReload?.(this) },
        (error: unknown) => { onError?.(error as Error) }
      )
    }, intervalMs).unref()
  }

  /** Stops watch(); the keys stay usable. */
  close (): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  [Symbol.dispose] (): void {
    this.close()
  }
}
