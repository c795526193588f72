import type { BigIntStats } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { dataDirOf } from '../../config/data-dir.ts'
import { writeFileAtomic } from '../../crypto/vault/atomic-write.ts'
import { SmsgwError, errorCodes, isSmsgwError } from '../../errors.ts'
import { MAX_CLIENT_ID_BYTES, idProblem } from '../../domain/request-ids.ts'
import { DestinationPolicy, destinationRefused } from '../webhooks/destination-policy.ts'
import type { Webhook, WebhookDirectory } from '../webhooks/webhook-directory.ts'
import { DEFAULT_SCRYPT_PARAMS, OPERATOR_KEY_PREFIX, apiKeyIdOf, digestApiKey, generateApiKey, hashApiKey, newSalt, operatorKeyIdOf, sameHash } from './api-key.ts'
import {
  EMPTY_API_KEY_FILE, checkWebhookUrl, decodeApiKeyFile, encodeApiKeyFile,
  type ApiKeyFileContents, type StoredApiKey, type StoredOperatorKey
} from './api-key-file-format.ts'
import type { ApiKeyInfo, ApiKeyOwner, ApiKeyStore, CreatedApiKey } from './api-key-store.ts'
import type { CreatedOperatorKey, OperatorKeyInfo, OperatorKeyStore } from './operator-key-store.ts'

/** The API key file's name in the data folder. */
export const API_KEY_FILE_NAME = 'api-keys.json'
export const API_KEY_FILE_ENV = 'SMSGW_API_KEYS_FILE'
/** The file holds webhook secrets: readable by its owner only. */
export const API_KEY_FILE_MODE = 0o600
/** How often a running gateway looks for changes the CLI made: a revoked key stops working within this. */
export const DEFAULT_API_KEY_RECHECK_INTERVAL_MS = 1_000
export const WEBHOOK_SECRET_PREFIX = 'whsec_'
const WEBHOOK_SECRET_BYTES = 32

/**
 * The key file to use, the one rule for every command (`smsgw run`, `gateway`, `api-key`):
 * `explicit` (a --file or --api-keys option), else $SMSGW_API_KEYS_FILE, else api-keys.json in
 * `dataDir` (`smsgw run --data`; by default $SMSGW_DATA_DIR, else ./smsgw-data).
 */
export function apiKeyFilePath (explicit: string | undefined, env: NodeJS.ProcessEnv, dataDir = dataDirOf(env)): string {
  if (explicit !== undefined && explicit !== '') return explicit
  const fromEnv = env[API_KEY_FILE_ENV]
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(dataDir, API_KEY_FILE_NAME)
}

export interface ApiKeyFileOptions {
  /** How often verify() and webhookOf() stat the file for changes; default DEFAULT_API_KEY_RECHECK_INTERVAL_MS. */
  readonly recheckIntervalMs?: number
  /** Called once per broken version of a changed file; the keys read before stay in use meanwhile. */
  readonly onReloadError?: (error: Error) => void
  /** Which webhook URLs setWebhook takes: DestinationPolicy.strict (nothing internal) by default. */
  readonly webhookDestinations?: DestinationPolicy
}

/** One key in memory: the stored entry, and the SHA-256 of the key once scrypt has confirmed it. */
interface KeyEntry<Stored extends StoredOperatorKey = StoredApiKey, Owner = ApiKeyOwner> {
  readonly stored: Stored
  readonly owner: Owner
  verifiedDigest: Buffer | undefined
}

/** An operator key's entry: its owner is its id. */
type OperatorEntry = KeyEntry<StoredOperatorKey, string>

interface FileIndex {
  readonly contents: ApiKeyFileContents
  readonly keys: ReadonlyMap<string, KeyEntry>
  readonly webhooks: ReadonlyMap<string, Webhook>
  readonly operators: ReadonlyMap<string, OperatorEntry>
}

/** A missing file reads as empty; this stands for its version. */
const MISSING = 'missing'

/**
 * The API keys and webhooks of the HTTP API in one JSON file (format: api-key-file-format.ts),
 * shared by the running gateway and the `smsgw api-key` commands.
 *
 * - Lookup is one map access by the key's public id; the secret is checked against a scrypt
 *   hash with a constant-time compare. A key that passed once is remembered by its SHA-256, in
 *   memory only, so later requests (and wrong secrets for that id) cost a hash, not a scrypt.
 * - Changes by another process (the CLI) are picked up within recheckIntervalMs: verify() stats
 *   the file at most that often and reads it again when it changed.
 * - Writes replace the file atomically (mode 0600). Writes of this process are serialised; two
 *   processes writing at the same instant may lose one change (the last rename wins).
 */
export class ApiKeyFile implements ApiKeyStore, WebhookDirectory, OperatorKeyStore {
  readonly #file: string
  readonly #recheckIntervalMs: number
  readonly #onReloadError: (error: Error) => void
  readonly #webhookDestinations: DestinationPolicy
  #index: FileIndex
  #version: string
  #failedVersion: string | undefined
  #checkedAtMs: number
  #refreshing: Promise<void> | undefined
  #writing: Promise<unknown> = Promise.resolve()

  private constructor (file: string, options: ApiKeyFileOptions, contents: ApiKeyFileContents, version: string) {
    this.#file = file
    this.#recheckIntervalMs = options.recheckIntervalMs ?? DEFAULT_API_KEY_RECHECK_INTERVAL_MS
    this.#onReloadError = options.onReloadError ?? (() => {})
    this.#webhookDestinations = options.webhookDestinations ?? DestinationPolicy.strict
    this.#index = indexContents(contents)
    this.#version = version
    this.#checkedAtMs = Date.now()
  }

  /**
   * Reads `file`; a file that does not exist yet reads as no keys (the first write creates it).
   * Rejects with SMSGW_CONFIG when the file cannot be read or is not an API key file.
   */
  static async open (file: string, options: ApiKeyFileOptions = {}): Promise<ApiKeyFile> {
    const { contents, version } = await readApiKeyFile(file)
    return new ApiKeyFile(file, options, contents, version)
  }

  get file (): string {
    return this.#file
  }

  async verify (key: string): Promise<ApiKeyOwner | undefined> {
    const id = apiKeyIdOf(key)
    if (id === null) return undefined
    await this.#refreshIfDue()
    return await verifyEntry(this.#index.keys.get(id), key)
  }

  async verifyOperator (key: string): Promise<string | undefined> {
    const id = operatorKeyIdOf(key)
    if (id === null) return undefined
    await this.#refreshIfDue()
    return await verifyEntry(this.#index.operators.get(id), key)
  }

  async hasOperatorKey (id: string): Promise<boolean> {
    await this.#refreshIfDue()
    return this.#index.operators.has(id)
  }

  async create (clientId: string): Promise<CreatedApiKey> {
    checkClientId(clientId)
    const { id, key, stored } = await newHashedKey()
    await this.#update(contents => ({ ...contents, keys: [...contents.keys, { ...stored, clientId }] }), id)
    return { id, clientId, createdAt: stored.createdAt, key }
  }

  /** Makes an operator key (for the dashboard, and /metrics when protected); resolves to it, whose text is known this once. */
  async createOperatorKey (): Promise<CreatedOperatorKey> {
    const { id, key, stored } = await newHashedKey(OPERATOR_KEY_PREFIX)
    await this.#update(contents => ({ ...contents, operators: [...contents.operators, stored] }), id)
    return { id, createdAt: stored.createdAt, key }
  }

  /** The operator keys, oldest first. */
  async listOperatorKeys (): Promise<OperatorKeyInfo[]> {
    await this.#refreshIfDue()
    return this.#index.contents.operators.map(({ id, createdAt }) => ({ id, createdAt }))
  }

  async list (): Promise<ApiKeyInfo[]> {
    await this.#refreshIfDue()
    return this.#index.contents.keys.map(({ id, clientId, createdAt }) => ({ id, clientId, createdAt }))
  }

  /** Removes the client or operator key with this id; resolves to false when there is none. */
  async revoke (id: string): Promise<boolean> {
    let found = false
    await this.#update(contents => {
      const keys = contents.keys.filter(key => key.id !== id)
      const operators = contents.operators.filter(key => key.id !== id)
      found = keys.length + operators.length < contents.keys.length + contents.operators.length
      return found ? { ...contents, keys, operators } : undefined
    })
    return found
  }

  async webhookOf (clientId: string): Promise<Webhook | undefined> {
    await this.#refreshIfDue()
    return this.#index.webhooks.get(clientId)
  }

  /** The webhooks, with their secrets, in file order. */
  async webhooks (): Promise<Webhook[]> {
    await this.#refreshIfDue()
    return [...this.#index.webhooks.values()]
  }

  /**
   * Posts `clientId`'s statuses to `url` from now on, signed with a new secret (replacing any
   * webhook the client had); resolves to the webhook, whose secret is shown this once.
   * Rejects with SMSGW_USAGE for an unusable client-id or URL, and with SMSGW_WEBHOOK_DESTINATION
   * for a URL whose host is an internal address or name the webhookDestinations do not allow.
   */
  async setWebhook (clientId: string, url: string): Promise<Webhook> {
    checkClientId(clientId)
    checkWebhookUrl(url, reason => new SmsgwError(errorCodes.usage, `webhook URL ${url} ${reason}`))
    const refusal = this.#webhookDestinations.refusalOfUrl(new URL(url))
    if (refusal !== undefined) throw destinationRefused(refusal, url)
    const webhook: Webhook = { clientId, url, secret: `${WEBHOOK_SECRET_PREFIX}${randomBytes(WEBHOOK_SECRET_BYTES).toString('base64url')}` }
    await this.#update(contents => ({
      ...contents,
      webhooks: [...contents.webhooks.filter(existing => existing.clientId !== clientId), webhook]
    }))
    return webhook
  }

  /** Stops posting `clientId`'s statuses; resolves to false when it had no webhook. */
  async removeWebhook (clientId: string): Promise<boolean> {
    let found = false
    await this.#update(contents => {
      const webhooks = contents.webhooks.filter(existing => existing.clientId !== clientId)
      found = webhooks.length < contents.webhooks.length
      return found ? { ...contents, webhooks } : undefined
    })
    return found
  }

  /**
   * Reads the file afresh (never a stale copy, and never over a broken file), applies `change`
   * and writes the result; `change` returns undefined when there is nothing to write. With
   * `newId`, refuses a change that would add a key whose id either list already has.
   */
  async #update (change: (contents: ApiKeyFileContents) => ApiKeyFileContents | undefined, newId?: string): Promise<void> {
    const run = this.#writing.then(async () => {
      const { contents } = await readApiKeyFile(this.#file)
      // 48 random bits: a clash is all but impossible, and then the operator just runs it again.
      if (newId !== undefined && [...contents.keys, ...contents.operators].some(existing => existing.id === newId)) {
        throw new SmsgwError(errorCodes.config, 'the new key\'s id is taken; create it again', { retryable: true })
      }
      const changed = change(contents)
      if (changed === undefined) return
      await writeApiKeyFile(this.#file, changed)
      this.#install(changed, await statVersion(this.#file))
    })
    this.#writing = run.catch(() => {})
    await run
  }

  async #refreshIfDue (): Promise<void> {
    if (Date.now() - this.#checkedAtMs < this.#recheckIntervalMs) return
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#checkedAtMs = Date.now()
      this.#refreshing = undefined
    })
    await this.#refreshing
  }

  async #refresh (): Promise<void> {
    let version: string
    try {
      version = await statVersion(this.#file)
    } catch (error) {
      this.#reportOnce(`unreadable:${(error as SmsgwError).message}`, error)
      return
    }
    if (version === this.#version || version === this.#failedVersion) return
    try {
      const read = await readApiKeyFile(this.#file)
      this.#install(read.contents, read.version)
    } catch (error) {
      this.#reportOnce(version, error)
    }
  }

  #install (contents: ApiKeyFileContents, version: string): void {
    const previous = this.#index
    this.#index = indexContents(contents)
    // A key that did not change keeps its verified digest, so a reload costs no scrypt runs.
    keepVerified(previous.keys, this.#index.keys)
    keepVerified(previous.operators, this.#index.operators)
    this.#version = version
    this.#failedVersion = undefined
  }

  #reportOnce (version: string, error: unknown): void {
    if (this.#failedVersion === version) return
    this.#failedVersion = version
    this.#onReloadError(error as Error)
  }
}

function indexContents (contents: ApiKeyFileContents): FileIndex {
  const keys = new Map<string, KeyEntry>()
  for (const stored of contents.keys) {
    keys.set(stored.id, { stored, owner: Object.freeze({ keyId: stored.id, clientId: stored.clientId }), verifiedDigest: undefined })
  }
  const webhooks = new Map<string, Webhook>()
  for (const webhook of contents.webhooks) webhooks.set(webhook.clientId, Object.freeze({ ...webhook }))
  const operators = new Map<string, OperatorEntry>()
  for (const stored of contents.operators) operators.set(stored.id, { stored, owner: stored.id, verifiedDigest: undefined })
  return { contents, keys, webhooks, operators }
}

function keepVerified<Stored extends StoredOperatorKey, Owner> (previous: ReadonlyMap<string, KeyEntry<Stored, Owner>>, current: ReadonlyMap<string, KeyEntry<Stored, Owner>>): void {
  for (const [id, entry] of current) {
    const before = previous.get(id)
    if (before !== undefined && sameHash(before.stored.hash, entry.stored.hash)) entry.verifiedDigest = before.verifiedDigest
  }
}

/**
 * The owner of `entry` when `key` is its key: a scrypt run the first time, then the SHA-256
 * remembered (so later requests, and wrong secrets for that id, cost a hash).
 */
async function verifyEntry<Owner> (entry: KeyEntry<StoredOperatorKey, Owner> | undefined, key: string): Promise<Owner | undefined> {
  if (entry === undefined) return undefined
  const digest = digestApiKey(key)
  if (entry.verifiedDigest !== undefined) return sameHash(digest, entry.verifiedDigest) ? entry.owner : undefined
  const hash = await hashApiKey(key, entry.stored.salt, entry.stored.scrypt)
  if (!sameHash(hash, entry.stored.hash)) return undefined
  entry.verifiedDigest = digest
  return entry.owner
}

/** A new key (client or operator, by `prefix`) and what is stored of it. */
async function newHashedKey (prefix?: string): Promise<{ id: string, key: string, stored: StoredOperatorKey }> {
  const { id, key } = generateApiKey(prefix)
  const salt = newSalt()
  const stored = { id, createdAt: new Date(), scrypt: DEFAULT_SCRYPT_PARAMS, salt, hash: await hashApiKey(key, salt, DEFAULT_SCRYPT_PARAMS) }
  return { id, key, stored }
}

/** A client-id fit to own a key: what a request's `client-id` can equal. */
function checkClientId (clientId: string): void {
  if (clientId === '' || clientId.trim() !== clientId || idProblem(clientId, MAX_CLIENT_ID_BYTES) !== undefined) {
    throw new SmsgwError(errorCodes.usage,
      `client-id must be 1-${MAX_CLIENT_ID_BYTES} bytes of well-formed UTF-8 without control characters or surrounding spaces: ${JSON.stringify(clientId)}`)
  }
}

function versionOf (stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`
}

function unreadable (file: string, cause: unknown): SmsgwError {
  const reason = (cause as NodeJS.ErrnoException).code ?? String(cause)
  return new SmsgwError(errorCodes.config, `cannot read API key file ${file}: ${reason}`, { cause, retryable: true })
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT'

async function statVersion (file: string): Promise<string> {
  try {
    return versionOf(await stat(file, { bigint: true }))
  } catch (error) {
    if (isMissing(error)) return MISSING
    throw unreadable(file, error)
  }
}

/** The contents of `file` and the version they were read at (taken from the open handle, before reading). */
async function readApiKeyFile (file: string): Promise<{ contents: ApiKeyFileContents, version: string }> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    if (isMissing(error)) return { contents: EMPTY_API_KEY_FILE, version: MISSING }
    throw unreadable(file, error)
  }
  try {
    const version = versionOf(await handle.stat({ bigint: true }))
    return { contents: decodeApiKeyFile(await handle.readFile('utf8'), file), version }
  } catch (error) {
    throw isSmsgwError(error) ? error : unreadable(file, error)
  } finally {
    await handle.close()
  }
}

async function writeApiKeyFile (file: string, contents: ApiKeyFileContents): Promise<void> {
  try {
    await writeFileAtomic(file, Buffer.from(encodeApiKeyFile(contents), 'utf8'), API_KEY_FILE_MODE)
  } catch (error) {
    // writeFileAtomic speaks of vaults; the message (`cannot write <file>: <reason>`) fits as it is.
    throw new SmsgwError(errorCodes.config, (error as Error).message, { cause: error })
  }
}
