import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { SmsgwError, errorCodes } from '../../errors.ts'
import { HASH_BYTES, SALT_BYTES, type ScryptParams } from './api-key.ts'

// The API key file, pretty-printed JSON so an operator can read it (it holds no key, only hashes,
// but it does hold the webhook secrets, so it is written with mode 0600):
//   {
//     "version": 1,
//     "keys": [{"id": "3f9a2b7c1d0e", "client-id": "test", "created": "2026-01-01T00:00:00.000Z",
//               "scrypt": {"N": 16384, "r": 8, "p": 1}, "salt": "<base64>", "hash": "<base64>"}],
//     "webhooks": [{"client-id": "test", "url": "https://example.org/hook", "secret": "whsec_…"}],
//     "operators": [{"id": "7c1d0e3f9a2b", "created": "…", "scrypt": {…}, "salt": "<base64>", "hash": "<base64>"}]
//   }
// "operators" holds the operator keys (the dashboard's), hashed like the client keys; ids are
// unique over both lists, so `smsgw api-key revoke ID` needs no kind.

export const API_KEY_FILE_VERSION = 1

const base64 = (bytes: number) => Type.String({ minLength: Math.ceil(bytes / 3) * 4, maxLength: Math.ceil(bytes / 3) * 4 })

const hashedKeyProperties = {
  id: Type.String({ pattern: '^[0-9a-f]{12}$' }),
  created: Type.String({ minLength: 1 }),
  // Bounded so that a hand-edited file cannot make each first verify() cost seconds or GiBs.
  scrypt: Type.Object({
    N: Type.Integer({ minimum: 2, maximum: 2 ** 20 }),
    r: Type.Integer({ minimum: 1, maximum: 32 }),
    p: Type.Integer({ minimum: 1, maximum: 16 })
  }),
  salt: base64(SALT_BYTES),
  hash: base64(HASH_BYTES)
}

const StoredOperatorKeySchema = Type.Object(hashedKeyProperties)
const StoredKeySchema = Type.Object({ ...hashedKeyProperties, 'client-id': Type.String({ minLength: 1 }) })

const StoredWebhookSchema = Type.Object({
  'client-id': Type.String({ minLength: 1 }),
  url: Type.String({ minLength: 1 }),
  secret: Type.String({ minLength: 1 })
})

const ApiKeyFileSchema = Type.Object({
  version: Type.Literal(API_KEY_FILE_VERSION),
  keys: Type.Array(StoredKeySchema),
  webhooks: Type.Optional(Type.Array(StoredWebhookSchema)),
  operators: Type.Optional(Type.Array(StoredOperatorKeySchema))
})

const checkFile = Compile(ApiKeyFileSchema)

/** An operator key as stored: its id and a scrypt hash of it. */
export interface StoredOperatorKey {
  readonly id: string
  readonly createdAt: Date
  readonly scrypt: ScryptParams
  readonly salt: Buffer
  readonly hash: Buffer
}

/** A client's key as stored. */
export interface StoredApiKey extends StoredOperatorKey {
  readonly clientId: string
}

export interface StoredWebhook {
  readonly clientId: string
  readonly url: string
  readonly secret: string
}

export interface ApiKeyFileContents {
  readonly keys: readonly StoredApiKey[]
  readonly webhooks: readonly StoredWebhook[]
  readonly operators: readonly StoredOperatorKey[]
}

export const EMPTY_API_KEY_FILE: ApiKeyFileContents = Object.freeze({ keys: [], webhooks: [], operators: [] })

function invalid (file: string, reason: string): SmsgwError {
  return new SmsgwError(errorCodes.config, `API key file ${file}: ${reason}`)
}

/**
 * Reads the text of an API key file. Rejects (throws SMSGW_CONFIG, naming the file and the
 * path of the first problem) anything but a well-formed file: bad JSON, a missing or mistyped
 * field, a salt or hash of the wrong size, an id twice, a client with two webhooks, a webhook
 * URL that is not http: or https:.
 */
export function decodeApiKeyFile (text: string, file: string): ApiKeyFileContents {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw invalid(file, 'not JSON')
  }
  if (!checkFile.Check(value)) {
    const [first] = checkFile.Errors(value)
    throw invalid(file, first === undefined ? 'not an API key file' : `${first.instancePath === '' ? '/' : first.instancePath} ${first.message}`)
  }
  const contents = value as Static<typeof ApiKeyFileSchema>
  const keys = contents.keys.map((stored, index) => ({ ...decodeKey(stored, `/keys/${index}`, file), clientId: stored['client-id'] }))
  const operators = (contents.operators ?? []).map((stored, index) => decodeKey(stored, `/operators/${index}`, file))
  const ids = new Set<string>()
  for (const key of [...keys, ...operators]) {
    if (ids.has(key.id)) throw invalid(file, `key id ${key.id} appears twice`)
    ids.add(key.id)
  }
  const webhooks = (contents.webhooks ?? []).map((stored, index) => {
    checkWebhookUrl(stored.url, (reason) => invalid(file, `/webhooks/${index}/url ${reason}`))
    return { clientId: stored['client-id'], url: stored.url, secret: stored.secret }
  })
  const clients = new Set<string>()
  for (const webhook of webhooks) {
    if (clients.has(webhook.clientId)) throw invalid(file, `client ${webhook.clientId} has two webhooks`)
    clients.add(webhook.clientId)
  }
  return { keys, webhooks, operators }
}

function decodeKey (stored: Static<typeof StoredOperatorKeySchema>, path: string, file: string): StoredOperatorKey {
  const createdAt = new Date(stored.created)
  if (Number.isNaN(createdAt.getTime())) throw invalid(file, `${path}/created is not a date`)
  if ((stored.scrypt.N & (stored.scrypt.N - 1)) !== 0) throw invalid(file, `${path}/scrypt/N is not a power of 2`)
  const salt = Buffer.from(stored.salt, 'base64')
  const hash = Buffer.from(stored.hash, 'base64')
  if (salt.length !== SALT_BYTES || salt.toString('base64') !== stored.salt) throw invalid(file, `${path}/salt is not ${SALT_BYTES} bytes of base64`)
  if (hash.length !== HASH_BYTES || hash.toString('base64') !== stored.hash) throw invalid(file, `${path}/hash is not ${HASH_BYTES} bytes of base64`)
  return {
    id: stored.id,
    createdAt,
    scrypt: { cost: stored.scrypt.N, blockSize: stored.scrypt.r, parallelization: stored.scrypt.p },
    salt,
    hash
  }
}

/** The text of an API key file, pretty-printed, ending in a newline. */
export function encodeApiKeyFile (contents: ApiKeyFileContents): string {
  const file: Static<typeof ApiKeyFileSchema> = {
    version: API_KEY_FILE_VERSION,
    keys: contents.keys.map(key => {
      const { id, ...hashed } = encodeKey(key)
      return { id, 'client-id': key.clientId, ...hashed }
    }),
    webhooks: contents.webhooks.map(webhook => ({ 'client-id': webhook.clientId, url: webhook.url, secret: webhook.secret })),
    // Left out while there is none, so a file without operator keys reads as it did before them.
    ...(contents.operators.length === 0 ? {} : { operators: contents.operators.map(encodeKey) })
  }
  return `${JSON.stringify(file, null, 2)}\n`
}

function encodeKey (key: StoredOperatorKey): Static<typeof StoredOperatorKeySchema> {
  return {
    id: key.id,
    created: key.createdAt.toISOString(),
    scrypt: { N: key.scrypt.cost, r: key.scrypt.blockSize, p: key.scrypt.parallelization },
    salt: key.salt.toString('base64'),
    hash: key.hash.toString('base64')
  }
}

/** Throws the error `fail` makes unless `url` is an absolute http: or https: URL. */
export function checkWebhookUrl (url: string, fail: (reason: string) => Error): void {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw fail('is not a URL')
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw fail('is not an http: or https: URL')
}
