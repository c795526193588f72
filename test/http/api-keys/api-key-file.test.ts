import assert from 'node:assert/strict'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { ApiKeyFile, apiKeyFilePath } from '../../../src/http/api-keys/index.ts'
import { decodeApiKeyFile, encodeApiKeyFile } from '../../../src/http/api-keys/api-key-file-format.ts'
import { DestinationPolicy } from '../../../src/http/webhooks/index.ts'
import { temporaryFolder } from '../api/http-fakes.ts'

const folder = await temporaryFolder()
let files = 0
const freshFile = (): string => join(folder, `keys-${++files}.json`)

test('ApiKeyFile create makes a key that verify() maps to its client, and stores only a salted hash', async () => {
  const file = freshFile()
  const keys = await ApiKeyFile.open(file)
  const created = await keys.create('test')
  assert.match(created.key, /^smsgw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  assert.equal(created.key.slice(6, 18), created.id)
  assert.deepStrictEqual(await keys.verify(created.key), { keyId: created.id, clientId: 'test' })
  // A second verify() takes the remembered digest; the answer is the same.
  assert.deepStrictEqual(await keys.verify(created.key), { keyId: created.id, clientId: 'test' })
  const text = await readFile(file, 'utf8')
  assert.ok(!text.includes(created.key.slice(19)), 'the secret is in the file')
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  const stored = JSON.parse(text).keys[0]
  assert.deepStrictEqual(Object.keys(stored), ['id', 'client-id', 'created', 'scrypt', 'salt', 'hash'])
  assert.deepStrictEqual(stored.scrypt, { N: 16384, r: 8, p: 1 })
})

test('ApiKeyFile verify() refuses a wrong secret, before and after the right one passed, and malformed or unknown keys', async () => {
  const keys = await ApiKeyFile.open(freshFile())
  const created = await keys.create('test')
  const wrong = `${created.key.slice(0, -1)}${created.key.endsWith('A') ? 'B' : 'A'}`
  assert.equal(await keys.verify(wrong), undefined)
  assert.ok(await keys.verify(created.key))
  assert.equal(await keys.verify(wrong), undefined)
  for (const key of ['', created.key.slice(0, -1), `${created.key}A`, created.key.replace('smsgw_', 'SMSGW_'), `smsgw_000000000000_${created.key.slice(19)}`]) {
    assert.equal(await keys.verify(key), undefined, key)
  }
})

test('ApiKeyFile lists keys without secrets, and revoke() removes one', async () => {
  const keys = await ApiKeyFile.open(freshFile())
  const first = await keys.create('test')
  const second = await keys.create('other')
  assert.deepStrictEqual(await keys.list(), [
    { id: first.id, clientId: 'test', createdAt: first.createdAt },
    { id: second.id, clientId: 'other', createdAt: second.createdAt }
  ])
  assert.equal(await keys.revoke(first.id), true)
  assert.equal(await keys.revoke(first.id), false)
  assert.deepStrictEqual((await keys.list()).map(key => key.id), [second.id])
  assert.equal(await keys.verify(first.key), undefined)
  assert.ok(await keys.verify(second.key))
})

test('ApiKeyFile picks up keys created and revoked by another process', async () => {
  const file = freshFile()
  const gateway = await ApiKeyFile.open(file, { recheckIntervalMs: 0 })
  const cli = await ApiKeyFile.open(file)
  const created = await cli.create('test')
  assert.deepStrictEqual(await gateway.verify(created.key), { keyId: created.id, clientId: 'test' })
  await (await ApiKeyFile.open(file)).revoke(created.id)
  assert.equal(await gateway.verify(created.key), undefined)
})

test('ApiKeyFile looks at the file no more often than recheckIntervalMs', async () => {
  const file = freshFile()
  const gateway = await ApiKeyFile.open(file, { recheckIntervalMs: 60_000 })
  const created = await (await ApiKeyFile.open(file)).create('test')
  assert.equal(await gateway.verify(created.key), undefined)
})

test('ApiKeyFile keeps its keys when the file turns bad, and reports it once', async () => {
  const file = freshFile()
  const errors: Error[] = []
  const gateway = await ApiKeyFile.open(file, { recheckIntervalMs: 0, onReloadError: error => errors.push(error) })
  const created = await gateway.create('test')
  await writeFile(file, '{"version": 1, "keys": [')
  assert.ok(await gateway.verify(created.key))
  assert.ok(await gateway.verify(created.key))
  assert.deepStrictEqual(errors.map(error => ({ code: (error as { code?: string }).code, message: error.message })),
    [{ code: errorCodes.config, message: `API key file ${file}: not JSON` }])
  // And a write never replaces a file it cannot read.
  await assert.rejects(gateway.create('other'), { code: errorCodes.config, message: `API key file ${file}: not JSON` })
})

test('ApiKeyFile opens a missing file as empty and creates it on the first write', async () => {
  const file = freshFile()
  const keys = await ApiKeyFile.open(file)
  assert.deepStrictEqual(await keys.list(), [])
  assert.deepStrictEqual(await keys.webhooks(), [])
  await assert.rejects(stat(file), { code: 'ENOENT' })
  await keys.create('test')
  assert.equal((await stat(file)).isFile(), true)
})

test('ApiKeyFile refuses a client-id no request could carry', async () => {
  const keys = await ApiKeyFile.open(freshFile())
  for (const clientId of ['', ' test', 'test\n', 'a\u0000b', 'x'.repeat(257)]) {
    await assert.rejects(keys.create(clientId), { code: errorCodes.usage }, JSON.stringify(clientId))
  }
})

test('ApiKeyFile sets, replaces and removes a client\'s webhook, with a fresh secret each time', async () => {
  const file = freshFile()
  const keys = await ApiKeyFile.open(file)
  const first = await keys.setWebhook('test', 'https://example.org/hook')
  assert.match(first.secret, /^whsec_[A-Za-z0-9_-]{43}$/)
  const second = await keys.setWebhook('test', 'http://hooks.example.net:8080/other')
  assert.notEqual(second.secret, first.secret)
  assert.deepStrictEqual(await keys.webhookOf('test'), second)
  assert.deepStrictEqual(await (await ApiKeyFile.open(file)).webhooks(), [second])
  assert.equal(await keys.webhookOf('other'), undefined)
  assert.equal(await keys.removeWebhook('test'), true)
  assert.equal(await keys.removeWebhook('test'), false)
  assert.equal(await keys.webhookOf('test'), undefined)
  for (const url of ['example.org/hook', 'ftp://example.org/', 'file:///etc/passwd']) {
    await assert.rejects(keys.setWebhook('test', url), { code: errorCodes.usage }, url)
  }
})

test('ApiKeyFile refuses a webhook URL whose host is internal, unless its webhookDestinations allow it (issue 9, item 2)', async () => {
  const file = freshFile()
  const keys = await ApiKeyFile.open(file)
  for (const url of ['http://2130706433/hook', 'http://0x7f000001/hook', 'http://127.1/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://169.254.169.254/', 'http://[fd00::1]/', 'http://metadata.google.internal/']) {
    await assert.rejects(keys.setWebhook('test', url), (error: Error & { code?: string }) =>
      error.code === errorCodes.webhookDestination && error.message.startsWith(`webhook URL ${url} refused: `), url)
  }
  assert.deepStrictEqual(await keys.webhooks(), [])
  const allowing = await ApiKeyFile.open(file, { webhookDestinations: DestinationPolicy.allowing(['127.0.0.0/8']) })
  assert.deepStrictEqual((await allowing.setWebhook('test', 'http://127.1:9000/hook')).url, 'http://127.1:9000/hook')
  await assert.rejects(allowing.setWebhook('test', 'http://10.0.0.1/hook'), { code: errorCodes.webhookDestination })
})

test('ApiKeyFile keeps operator keys apart from client keys: neither verifies as the other, and revoking one ends it (issue 9, item 3)', async () => {
  const file = freshFile()
  const keys = await ApiKeyFile.open(file, { recheckIntervalMs: 0 })
  const operator = await keys.createOperatorKey()
  const client = await keys.create('test')
  assert.match(operator.key, /^smsgw_op_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  assert.deepStrictEqual({
    operator: await keys.verifyOperator(operator.key),
    operatorAsClient: await keys.verify(operator.key),
    clientAsOperator: await keys.verifyOperator(client.key),
    // The client key's id and secret in an operator key's clothes.
    dressedUp: await keys.verifyOperator(client.key.replace('smsgw_', 'smsgw_op_')),
    has: await keys.hasOperatorKey(operator.id),
    hasClient: await keys.hasOperatorKey(client.id),
    listed: (await keys.listOperatorKeys()).map(key => key.id),
    clients: (await keys.list()).map(key => key.id)
  }, { operator: operator.id, operatorAsClient: undefined, clientAsOperator: undefined, dressedUp: undefined, has: true, hasClient: false, listed: [operator.id], clients: [client.id] })
  // Another process (the CLI) revokes it: this one stops taking it at once here (recheck 0).
  assert.ok(await (await ApiKeyFile.open(file)).revoke(operator.id))
  assert.deepStrictEqual([await keys.verifyOperator(operator.key), await keys.hasOperatorKey(operator.id)], [undefined, false])
  const stored = JSON.parse(await readFile(file, 'utf8'))
  assert.deepStrictEqual(Object.keys(stored), ['version', 'keys', 'webhooks'])
})

test('decodeApiKeyFile refuses a malformed file, naming the file and the place', async () => {
  const keys = await ApiKeyFile.open(freshFile())
  await keys.create('test')
  await keys.setWebhook('test', 'https://example.org/hook')
  const good = JSON.parse(await readFile(keys.file, 'utf8'))
  const key = good.keys[0]
  const cases: Array<[unknown, string]> = [
    [[], '/ must be object'],
    [{ ...good, version: 2 }, '/version must be equal to constant'],
    [{ ...good, keys: [{ ...key, id: 'ABC' }] }, '/keys/0/id must match pattern'],
    [{ ...good, keys: [{ ...key, salt: `${key.salt.slice(0, -4)}====` }] }, '/keys/0/salt is not 16 bytes of base64'],
    [{ ...good, keys: [{ ...key, created: 'then' }] }, '/keys/0/created is not a date'],
    [{ ...good, keys: [{ ...key, scrypt: { ...key.scrypt, N: 3000 } }] }, '/keys/0/scrypt/N is not a power of 2'],
    [{ ...good, keys: [{ ...key, scrypt: { ...key.scrypt, N: 2 ** 30 } }] }, '/keys/0/scrypt/N must be <= 1048576'],
    [{ ...good, keys: [key, key] }, `key id ${key.id} appears twice`],
    [{ ...good, operators: [{ ...key, 'client-id': undefined }] }, `key id ${key.id} appears twice`],
    [{ ...good, operators: [{ ...key, hash: 'x' }] }, '/operators/0/hash must'],
    [{ ...good, webhooks: [good.webhooks[0], good.webhooks[0]] }, 'client test has two webhooks'],
    [{ ...good, webhooks: [{ ...good.webhooks[0], url: 'mailto:x@example.org' }] }, '/webhooks/0/url is not an http: or https: URL']
  ]
  for (const [contents, reason] of cases) {
    assert.throws(() => decodeApiKeyFile(JSON.stringify(contents), 'keys.json'),
      (error: Error & { code?: string }) => error.code === errorCodes.config && error.message.startsWith(`API key file keys.json: ${reason}`),
      reason)
  }
  const decoded = decodeApiKeyFile(JSON.stringify(good), 'keys.json')
  assert.deepStrictEqual(JSON.parse(encodeApiKeyFile(decoded)), good)
})

test('apiKeyFilePath takes --file, then $SMSGW_API_KEYS_FILE, then api-keys.json in the data folder of smsgw run', () => {
  assert.deepStrictEqual([
    apiKeyFilePath('a.json', { SMSGW_API_KEYS_FILE: 'b.json' }),
    apiKeyFilePath(undefined, { SMSGW_API_KEYS_FILE: 'b.json' }),
    apiKeyFilePath(undefined, { SMSGW_API_KEYS_FILE: '' }),
    apiKeyFilePath(undefined, {}),
    apiKeyFilePath(undefined, { SMSGW_DATA_DIR: '/srv/smsgw' }),
    apiKeyFilePath(undefined, { SMSGW_DATA_DIR: '/srv/smsgw' }, 'given')
  ], ['a.json', 'b.json', 'smsgw-data/api-keys.json', 'smsgw-data/api-keys.json', '/srv/smsgw/api-keys.json', 'given/api-keys.json'])
})
