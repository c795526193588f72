import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { forwarderAuthorization } from '../../src/relay/gateway-clients/forwarder-key.ts'
import { openStore } from '../../src/store/open-store.ts'
import { temporaryFolder } from './cli-fixtures.ts'
import { addCameroonClient, jsonLines, smsgw } from './gateway-client-cli.ts'

// `smsgw relay gateway-client add|list|remove|set-key`, run in-process through runProgram, on a
// SQLite store in --data: a client registered once with its number checked, listed as JSON lines,
// removed with its tests, given a forwarding key printed once and stored only as a digest. On
// PostgreSQL, with the key's check: gateway-client-command-postgres.test.ts.

test('smsgw relay gateway-client add registers a client once, checking its number, and list prints it; remove forgets it with its tests', async () => {
  const data = await temporaryFolder('gateway-client-cli')
  const where = ['--data', data]
  const added = await smsgw(['relay', 'gateway-client', 'add', '+237650000001', '--operator', 'MTN Cameroon', '--operator-code', '62401', '--protocols', 'https, smtp', ...where])
  assert.deepStrictEqual([added.code, added.stderr, jsonLines(added.stdout)], [0, '', [{ event: 'added', msisdn: '+237650000001', country: 'Cameroon' }]], 'the country defaults to the English name of the number\'s region')
  const other = await smsgw(['relay', 'gateway-client', 'add', '+2348030000001', '--country', 'Federal Republic of Nigeria', '--operator', 'MTN Nigeria', '--operator-code', '62130', ...where])
  assert.equal(other.code, 0, other.stderr)

  const again = await smsgw(['relay', 'gateway-client', 'add', '+237650000001', '--operator', 'Orange', '--operator-code', '62402', ...where])
  assert.deepStrictEqual([again.code, again.stderr], [1, 'smsgw: +237650000001 is registered already (smsgw relay gateway-client remove it first)\n'])
  const refusals: Array<[string[], string]> = [
    [['237650000001'], '237650000001 is not a valid phone number in E.164 form (+ and the digits, e.g. +237650000001)'],
    [['+237 650 000 001'], '+237 650 000 001 is not a valid phone number in E.164 form (+ and the digits, e.g. +237650000001)'],
    [['+23765'], '+23765 is not a valid phone number in E.164 form (+ and the digits, e.g. +237650000001)'],
    [['+237650000002', '--operator-code', '624'], 'the operator code is the MCC and MNC: 5 or 6 digits'],
    [['+237650000002', '--country', 'x'.repeat(65)], 'the country must be 1 to 64 bytes of text'],
    [['+237650000002', '--protocols', 'https;rm'], 'the protocols are words separated by commas, 64 bytes in all at most']
  ]
  for (const [args, message] of refusals) {
    const options = args.slice(1)
    const refused = await smsgw(['relay', 'gateway-client', 'add', args[0] as string, '--operator', 'MTN Cameroon', ...(options.includes('--operator-code') ? [] : ['--operator-code', '62401']), ...options, ...where])
    assert.deepStrictEqual([refused.code, refused.stderr], [1, `smsgw: ${message}\n`], args.join(' '))
  }
  const missing = await smsgw(['relay', 'gateway-client', 'add', '+237650000002', '--operator', 'MTN Cameroon', ...where])
  assert.equal(missing.code, 2, 'the operator code is required')

  const listed = await smsgw(['relay', 'gateway-client', 'list', ...where])
  const lines = jsonLines(listed.stdout) as Array<Record<string, unknown>>
  assert.deepStrictEqual(lines.map(line => ({ ...line, lastPublished: typeof line.lastPublished })), [
    { msisdn: '+2348030000001', country: 'Federal Republic of Nigeria', operator: 'MTN Nigeria', operatorCode: '62130', protocols: ['https'], reliability: '0.00', lastPublished: 'string', forwarderKey: false },
    { msisdn: '+237650000001', country: 'Cameroon', operator: 'MTN Cameroon', operatorCode: '62401', protocols: ['https', 'smtp'], reliability: '0.00', lastPublished: 'string', forwarderKey: false }
  ])

  const store = await openStore(join(data, 'smsgw.db'))
  await store.gatewayClients.tests.start('+237650000001', Date.now())
  await store.close()
  const removed = await smsgw(['relay', 'gateway-client', 'remove', '+237650000001', ...where])
  assert.deepStrictEqual([removed.code, jsonLines(removed.stdout)], [0, [{ event: 'removed', msisdn: '+237650000001' }]])
  const after = await openStore(join(data, 'smsgw.db'))
  assert.deepStrictEqual(await after.gatewayClients.tests.tally('+237650000001'), { tests: 0, succeeded: 0 })
  await after.close()
  const gone = await smsgw(['relay', 'gateway-client', 'remove', '+237650000001', ...where])
  assert.deepStrictEqual([gone.code, gone.stderr], [1, 'smsgw: +237650000001 is not a registered gateway client\n'])
})

test('smsgw relay gateway-client set-key prints a key once that names its client to the forwarding check, and is in the SQLite file only as its digest', async () => {
  const data = await temporaryFolder('gateway-client-cli')
  await addCameroonClient(['--data', data])
  const set = await smsgw(['relay', 'gateway-client', 'set-key', '+237650000001', '--data', data])
  assert.deepStrictEqual([set.code, set.stderr], [0, ''])
  const key = set.stdout
  assert.match(key, /^smsgw_gc_[A-Za-z0-9_-]{43}$/, 'one value, without a newline')
  const store = await openStore(join(data, 'smsgw.db'))
  try {
    const authorize = forwarderAuthorization(store.gatewayClients.clients)
    assert.deepStrictEqual(await authorize(key), { msisdn: '+237650000001' })
    for (const wrong of [undefined, '', 'smsgw_gc_', `${key}x`, key.replace(/.$/, key.endsWith('A') ? 'B' : 'A')]) assert.equal(await authorize(wrong), undefined, String(wrong))
  } finally {
    await store.close()
  }
  const files = [join(data, 'smsgw.db'), join(data, 'smsgw.db-wal')]
  const bytes = Buffer.concat(await Promise.all(files.map(async file => await readFile(file).catch(() => Buffer.alloc(0)))))
  assert.ok(bytes.includes('+237650000001'), 'the public number is in the clear')
  assert.equal(bytes.includes(key.slice('smsgw_gc_'.length)), false)

  const unknown = await smsgw(['relay', 'gateway-client', 'set-key', '+237650000002', '--data', data])
  assert.deepStrictEqual([unknown.code, unknown.stderr, unknown.stdout], [1, 'smsgw: +237650000002 is not a registered gateway client\n', ''], 'no key is printed for an unknown client')
})
