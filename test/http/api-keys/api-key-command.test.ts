import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { ApiKeyFile } from '../../../src/http/api-keys/index.ts'
import { asText, smsgw, smsgwLines, temporaryFolder } from '../../cli/cli-fixtures.ts'

// `smsgw api-key …`, run in-process, against real files.

const folder = await temporaryFolder()

test('api-key create prints a key once, which the key file then verifies for that client', async () => {
  const file = join(folder, 'create.json')
  const result = asText(await smsgw(['api-key', 'create', 'test', '--file', file]))
  assert.deepStrictEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: '' })
  assert.match(result.stdout, /^smsgw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  const key = result.stdout
  assert.deepStrictEqual(await (await ApiKeyFile.open(file)).verify(key), { keyId: key.slice(6, 18), clientId: 'test' })
  assert.ok(!(await readFile(file, 'utf8')).includes(key.slice(19)))
})

test('api-key list prints ids, clients and creation times, never a secret; revoke removes a key by id or by key', async () => {
  const file = join(folder, 'list.json')
  const first = asText(await smsgw(['api-key', 'create', 'test', '--file', file])).stdout.trim()
  const second = asText(await smsgw(['api-key', 'create', 'other', '--file', file])).stdout.trim()
  const listed = asText(await smsgw(['api-key', 'list', '--file', file]))
  const lines = listed.stdout.split('\n')
  assert.deepStrictEqual({ code: listed.code, stderr: listed.stderr, lines: lines.map(line => line.split('\t').slice(0, 2)) }, {
    code: 0,
    stderr: '',
    lines: [[first.slice(6, 18), 'test'], [second.slice(6, 18), 'other'], ['']]
  })
  assert.match(lines[0] ?? '', /\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  assert.ok(!listed.stdout.includes(first.slice(19)) && !listed.stdout.includes(second.slice(19)))
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'revoke', first.slice(6, 18), '--file', file])), { code: 0, stdout: '', stderr: '' })
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'revoke', second, '--file', file])), { code: 0, stdout: '', stderr: '' })
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'list', '--file', file])), { code: 0, stdout: '', stderr: '' })
})

test('api-key revoke fails for an id the file does not have', async () => {
  const file = join(folder, 'revoke.json')
  const result = await smsgw(['api-key', 'revoke', '0123456789ab', '--file', file])
  assert.deepStrictEqual({ code: result.code, lines: smsgwLines(result.stderr) }, { code: 1, lines: [`smsgw: no API key 0123456789ab in ${file}`] })
})

test('api-key create fails with a usage error for an empty client-id', async () => {
  const result = await smsgw(['api-key', 'create', '', '--file', join(folder, 'usage.json')])
  assert.deepStrictEqual({ code: result.code, lines: smsgwLines(result.stderr) },
    { code: 2, lines: ['smsgw: client-id must be 1-64 bytes of well-formed UTF-8 without control characters or surrounding spaces: ""'] })
})

test('api-key takes its file from $SMSGW_API_KEYS_FILE', async () => {
  const file = join(folder, 'env.json')
  const created = asText(await smsgw(['api-key', 'create', 'test'], { env: { SMSGW_API_KEYS_FILE: file } }))
  assert.equal(created.code, 0)
  assert.deepStrictEqual((await (await ApiKeyFile.open(file)).list()).map(key => key.clientId), ['test'])
})

test('api-key webhook set prints the secret once; list shows clients and URLs; remove stops it', async () => {
  const file = join(folder, 'webhooks.json')
  const set = asText(await smsgw(['api-key', 'webhook', 'set', 'test', 'https://example.org/hook', '--file', file]))
  assert.deepStrictEqual({ code: set.code, stderr: set.stderr }, { code: 0, stderr: '' })
  assert.match(set.stdout, /^whsec_[A-Za-z0-9_-]{43}$/)
  assert.deepStrictEqual(await (await ApiKeyFile.open(file)).webhookOf('test'),
    { clientId: 'test', url: 'https://example.org/hook', secret: set.stdout })
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'webhook', 'list', '--file', file])),
    { code: 0, stdout: 'test\thttps://example.org/hook\n', stderr: '' })
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'webhook', 'remove', 'test', '--file', file])), { code: 0, stdout: '', stderr: '' })
  const again = await smsgw(['api-key', 'webhook', 'remove', 'test', '--file', file])
  assert.deepStrictEqual({ code: again.code, lines: smsgwLines(again.stderr) }, { code: 1, lines: [`smsgw: client test has no webhook in ${file}`] })
  const bad = await smsgw(['api-key', 'webhook', 'set', 'test', 'ftp://example.org/', '--file', file])
  assert.deepStrictEqual({ code: bad.code, lines: smsgwLines(bad.stderr) },
    { code: 2, lines: ['smsgw: webhook URL ftp://example.org/ is not an http: or https: URL'] })
})

test('api-key webhook set refuses an internal address in any spelling, unless the configuration allows it (issue 9, item 2)', async () => {
  const file = join(folder, 'internal-webhooks.json')
  for (const url of ['http://2130706433/hook', 'http://0x7f000001/hook', 'http://127.1/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://localhost/hook']) {
    const refused = await smsgw(['api-key', 'webhook', 'set', 'test', url, '--file', file])
    const host = url === 'http://localhost/hook' ? 'localhost is the loopback name localhost' : `${url.includes('::ffff') ? '::ffff:7f00:1 is IPv4-mapped loopback' : '127.0.0.1 is loopback'} (127.0.0.0/8)`
    assert.deepStrictEqual({ code: refused.code, lines: smsgwLines(refused.stderr) },
      { code: 1, lines: [`smsgw: webhook URL ${url} refused: ${host}; an operator may allow it in webhooks.allowedDestinations`] }, url)
  }
  const metadata = await smsgw(['api-key', 'webhook', 'set', 'test', 'http://169.254.169.254/latest/meta-data/', '--file', file])
  assert.deepStrictEqual(smsgwLines(metadata.stderr), ['smsgw: webhook URL http://169.254.169.254/latest/meta-data/ refused: 169.254.169.254 is link-local, cloud metadata (169.254.0.0/16); an operator may allow it in webhooks.allowedDestinations'])
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'webhook', 'list', '--file', file])), { code: 0, stdout: '', stderr: '' })

  // The gateway's configuration allows the receiver: from a file, or from the environment.
  const config = join(folder, 'allow.yaml')
  await writeFile(config, 'webhooks:\n  allowedDestinations: [127.0.0.0/8, hooks.corp.internal]\n')
  const fromFile = asText(await smsgw(['api-key', 'webhook', 'set', 'test', 'http://127.1:9000/hook', '--file', file, '--config', config]))
  assert.deepStrictEqual([fromFile.code, fromFile.stderr], [0, ''])
  const fromEnv = asText(await smsgw(['api-key', 'webhook', 'set', 'other', 'http://[::ffff:127.0.0.1]:9000/hook', '--file', file], { env: { SMSGW_WEBHOOKS_ALLOWED_DESTINATIONS: '127.0.0.1' } }))
  assert.deepStrictEqual([fromEnv.code, fromEnv.stderr], [0, ''])
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'webhook', 'list', '--file', file])).stdout,
    'test\thttp://127.1:9000/hook\nother\thttp://[::ffff:127.0.0.1]:9000/hook\n')
})

test('api-key operator create prints an operator key once, which logs in as an operator and never as a client; list and revoke manage it (issue 9, item 3)', async () => {
  const file = join(folder, 'operators.json')
  const created = asText(await smsgw(['api-key', 'operator', 'create', '--file', file]))
  assert.deepStrictEqual({ code: created.code, stderr: created.stderr }, { code: 0, stderr: '' })
  assert.match(created.stdout, /^smsgw_op_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  const key = created.stdout
  const id = key.slice(9, 21)
  const keys = await ApiKeyFile.open(file)
  assert.deepStrictEqual([await keys.verifyOperator(key), await keys.verify(key)], [id, undefined])
  assert.ok(!(await readFile(file, 'utf8')).includes(key.slice(22)))
  const listed = asText(await smsgw(['api-key', 'operator', 'list', '--file', file]))
  assert.match(listed.stdout, new RegExp(`^${id}\\t\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\n$`))
  // Client keys are listed apart, and revoke takes either kind, by id or by the whole key.
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'list', '--file', file])).stdout, '')
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'revoke', key, '--file', file])), { code: 0, stdout: '', stderr: '' })
  assert.deepStrictEqual(asText(await smsgw(['api-key', 'operator', 'list', '--file', file])).stdout, '')
})
