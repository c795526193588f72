// The outbound gateway end to end on the run's real Kafka broker: requests in on send-sms,
// statuses out on sms-status, exactly per the contract (spec §4–§6).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, test } from 'node:test'
import type { GatewayConfig } from '../../src/config/index.ts'
import type { RunningGateway } from '../../src/app/kafka-gateway.ts'
import { isolatedKafkaConfig, type LogCapture, produceValues, sealedRequest, startTestGateway, StatusCollector, testConfig } from '../harness/gateway-fixture.ts'

describe('Kafka gateway integration', { timeout: 120_000 }, () => {
  let config: GatewayConfig
  let running: RunningGateway
  let logs: LogCapture
  let statuses: StatusCollector

  before(async () => {
    config = await testConfig(await isolatedKafkaConfig(), { clients: { allowed: ['test', 'acme'] } })
    ;({ running, logs } = await startTestGateway(config))
    statuses = new StatusCollector(config)
    await statuses.start()
  })

  after(async () => {
    await running?.shutdown()
    await statuses?.close()
  })

  test('gateway answers each loop-back marker of spec §6 with its statuses in order', async () => {
    const cases: Record<string, string[]> = {
      S0D1: ['DELIVERED'],
      S1D0: ['SENT'],
      S0X1: ['EXPIRED Expired message'],
      S0I1: ['INVALID Invalid message'],
      S1X1: ['SENT', 'EXPIRED Expired after successful send'],
      S1I1: ['SENT', 'INVALID Invalid after successful send'],
      S1D1: ['SENT', 'DELIVERED'],
      S2D0: ['SENT', 'SENT'],
      D1S1: ['DELIVERED', 'SENT'],
      S1F1: ['SENT', 'FAILED Failed after successful send'],
      F1S1: ['FAILED Reporting failed before reporting sent', 'SENT'],
      FAIL: ['FAILED You requested this to FAIL'],
      plain: ['SENT', 'DELIVERED']
    }
    await produceValues(config, await Promise.all(Object.keys(cases).map(async marker => await sealedRequest({ correlId: `marker-${marker}`, body: `hello ${marker} there` }))))
    await statuses.waitFor(() => Object.entries(cases).every(([marker, expected]) => statuses.of(`marker-${marker}`).length >= expected.length), 20_000)
    const got = Object.fromEntries(Object.keys(cases).map(marker => [marker, statuses.of(`marker-${marker}`)]))
    assert.deepEqual(got, cases)
  })

  test('gateway answers S0D0 with no status at all', async () => {
    await produceValues(config, [await sealedRequest({ correlId: 'marker-S0D0', body: 'S0D0' }), await sealedRequest({ correlId: 'after-S0D0', body: 'S1D0' })])
    await statuses.waitFor(() => statuses.of('after-S0D0').length > 0, 10_000)
    assert.deepEqual(statuses.of('marker-S0D0'), [])
  })

  test('gateway reports every validation row of spec §5 with its exact text', async () => {
    const request = async (correlId: string, fields: Record<string, unknown>): Promise<string> => JSON.stringify({ 'client-id': 'test', 'correl-id': correlId, deadline: '2100-01-01T00:00:00Z', ...fields })
    const payload = async (body: string, to = '+31629845432', clientId = 'test'): Promise<string> => JSON.parse(await sealedRequest({ correlId: 'x', clientId, body, to })).payload
    const values = [
      await request('row4', { 'client-id': 'stranger', payload: await payload('hi') }),
      await request('row5', { payload: undefined }),
      await request('row6', { deadline: undefined, payload: await payload('hi') }),
      await request('row7', { deadline: '2100-01-01T00:00', payload: await payload('hi') }),
      await request('row8', { deadline: '2000-01-01T00:00:00Z', payload: await payload('hi') }),
      await request('row9', { payload: 'not base64!' }),
      await request('row11', { payload: await payload('hi', '31629845432') }),
      await request('row12', { payload: await payload('hi', '+3162984543a') }),
      await request('row13', { payload: await payload('') }),
      await request('row4-past', { 'client-id': 'stranger', deadline: '2000-01-01T00:00:00Z', payload: await payload('hi') }),
      await request('smsc', { 'client-id': 'acme', payload: await payload('hi', '+31629845432', 'acme') })
    ]
    await produceValues(config, values)
    const expected = {
      row4: ['INVALID Client ID is unknown or disallowed'],
      row5: ['INVALID Request lacks Payload field'],
      row6: ['INVALID Request lacks Deadline field'],
      row7: ['INVALID Invalid deadline value: 2100-01-01T00:00'],
      row8: ['EXPIRED'],
      row9: ['INVALID Failed to parse request payload: payload is not valid base64'],
      row11: ['INVALID SMS recipient not a full international number: 31629845432'],
      row12: ['INVALID SMS recipient not a valid number: +3162984543a'],
      row13: ['INVALID SMS body is empty'],
      'row4-past': ['INVALID Client ID is unknown or disallowed'],
      smsc: ['FAILED Failed to send SMS through SMSC: no SMSC connection is configured']
    }
    await statuses.waitFor(() => Object.keys(expected).every(id => statuses.of(id).length > 0), 20_000)
    assert.deepEqual(Object.fromEntries(Object.keys(expected).map(id => [id, statuses.of(id)])), expected)
  })

  test('gateway keeps going after poison input and answers the requests around it', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const poison = [
      Buffer.from([0xff, 0xfe, 0x00, 0x41]),
      Buffer.from('{"client-id":"test","correl-id":"bad-utf8","payload":"\xff"}', 'latin1'),
      deep,
      // Over the gateway's request limit, under the broker's 1 MiB record limit.
      'x'.repeat(900 * 1024),
      '{"client-id":"test"}',
      '[]',
      'null',
      ''
    ]
    await produceValues(config, [await sealedRequest({ correlId: 'before-poison', body: 'S1D0' }), ...poison, await sealedRequest({ correlId: 'after-poison', body: 'S1D0' })])
    await statuses.waitFor(() => statuses.of('after-poison').length > 0 && statuses.of('before-poison').length > 0, 20_000)
    assert.deepEqual([statuses.of('before-poison'), statuses.of('after-poison'), statuses.of('bad-utf8')], [['SENT'], ['SENT'], []])
    assert.match(logs.text, /Request lacks Correlation ID field/)
  })

  // Issue 9: ids are bounded where they are held; on Kafka an offending correl-id is INVALID.
  test('gateway answers INVALID to a correl-id over its limit, with a lone surrogate or a control character, echoing it whole, and keeps going', async () => {
    const long = `long-${'x'.repeat(60_000)}`
    const withCorrelId = async (correlId: string): Promise<string> => JSON.stringify({ ...JSON.parse(await sealedRequest({ correlId: 'x', body: 'S1D0' })), 'correl-id': correlId })
    const cases: Record<string, string[]> = {
      [long]: ['INVALID Correlation ID field is longer than 256 bytes in UTF-8'],
      'lone-\ud800': ['INVALID Correlation ID field is not well-formed Unicode (it holds a lone surrogate)'],
      'tab-\there': ['INVALID Correlation ID field holds a control character (U+0000-U+001F or U+007F-U+009F)'],
      [`longest-${'y'.repeat(248)}`]: ['SENT']
    }
    const values = await Promise.all(Object.keys(cases).map(withCorrelId))
    await produceValues(config, [...values, await sealedRequest({ correlId: 'after-long-ids', body: 'S1D0' })])
    await statuses.waitFor(() => [...Object.keys(cases), 'after-long-ids'].every(id => statuses.of(id).length > 0), 20_000)
    assert.deepEqual(Object.fromEntries(Object.keys(cases).map(id => [id, statuses.of(id)])), cases)
    assert.deepEqual(statuses.of('after-long-ids'), ['SENT'])
  })

  test('gateway takes a request produced by kcat -P (no key, one line, trailing space)', async () => {
    const value = `${await sealedRequest({ correlId: 'from-kcat', body: 'S1D0' })} `
    const child = spawn('kcat', ['-P', '-b', config.kafka.brokers.join(','), '-t', config.kafka.topics.sendSms], { stdio: ['pipe', 'ignore', 'inherit'] })
    child.stdin.end(`${value}\n`)
    await new Promise<void>((resolve, reject) => child.on('close', code => code === 0 ? resolve() : reject(new Error(`kcat exited ${code}`))))
    await statuses.waitFor(() => statuses.of('from-kcat').length > 0, 10_000)
    assert.deepEqual(statuses.of('from-kcat'), ['SENT'])
  })

  test('gateway writes no decrypted recipient or body to its log', async () => {
    const secretBody = 'The secret code is 4711-SECRET'
    const secretTo = '+255799123456'
    await produceValues(config, [
      await sealedRequest({ correlId: 'secret-ok', to: secretTo, body: `${secretBody} S1D1` }),
      await sealedRequest({ correlId: 'secret-bad-sender', to: secretTo, sender: '', body: secretBody }),
      await sealedRequest({ correlId: 'secret-smsc', clientId: 'acme', to: secretTo, body: secretBody })
    ])
    await statuses.waitFor(() => statuses.of('secret-ok').length >= 2 && statuses.of('secret-smsc').length > 0, 10_000)
    assert.ok(logs.lines.length > 0)
    assert.doesNotMatch(logs.text, /4711-SECRET|799123456/)
  })
})
