// The gateway end to end with real SMPP over TCP: Kafka in, our ESME, the SMSC simulator,
// receipts back, statuses on sms-status, mobile-originated SMS on sms-inbound (spec §7).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { GatewayConfig } from '../../../src/config/index.ts'
import { decodeInboundSms, type InboundSms } from '../../../src/smpp/inbound/index.ts'
import { SmscSimulator } from '../../../src/smpp/simulator/index.ts'
import type { RunningGateway } from '../../../src/app/kafka-gateway.ts'
import { isolatedKafkaConfig, type LogCapture, produceValues, sealedRequest, startTestGateway, StatusCollector, testConfig } from '../../harness/gateway-fixture.ts'
import { Consumer } from '@platformatic/kafka'
import { clientOptions } from '../../../src/transport/kafka/client-options.ts'
import { uniqueTopicName } from '../../harness/kafka.ts'
import { eventually } from '../../harness/eventually.ts'

describe('SMPP gateway integration', { timeout: 120_000 }, () => {
  let simulator: SmscSimulator
  let config: GatewayConfig
  let running: RunningGateway
  let logs: LogCapture
  let statuses: StatusCollector

  before(async () => {
    simulator = await SmscSimulator.start({ port: 0, idFormat: 'zero-padded', receiptIdFormat: 'hex', receiptDelayMs: 50 })
    config = await testConfig(await isolatedKafkaConfig(), {
      clients: { allowed: ['test', 'acme'] },
      smpp: {
        host: '127.0.0.1',
        port: simulator.address.port,
        systemId: 'smsgw',
        password: 'secret',
        prefixes: ['+255', '+31'],
        respIdStyle: 'decimal',
        receiptIdStyle: 'hex',
        responseTimeoutMs: 1_000,
        reconnectDelayMs: 200,
        receiptRaceWaitMs: 2_000
      }
    })
    ;({ running, logs } = await startTestGateway(config))
    statuses = new StatusCollector(config)
    await statuses.start()
    await eventually('the gateway to bind to the simulator', () => simulator.boundSessions > 0, 10_000)
  })

  after(async () => {
    await running?.shutdown()
    await statuses?.close()
    await simulator?.close()
  })

  const acme = async (correlId: string, body: string, to = '+255712345678'): Promise<string> => await sealedRequest({ clientId: 'acme', correlId, body, to })

  test('gateway submits over SMPP and reports SENT then DELIVERED from the receipt', async () => {
    await produceValues(config, [await acme('smpp-1', 'Hello over SMPP')])
    await statuses.waitFor(() => statuses.of('smpp-1').length >= 2, 15_000)
    const [sent, delivered] = statuses.events.filter(event => event.correlId === 'smpp-1')
    assert.deepEqual([sent?.status, delivered?.status], ['SENT', 'DELIVERED'])
    const submit = simulator.submitted.find(message => message.messageId === sent?.recallId)
    assert.ok(submit, 'the SENT recall-id is the SMSC message id')
    assert.deepEqual([submit.destination, submit.destAddrTon, submit.destAddrNpi, submit.source, submit.sourceAddrTon, submit.dataCoding, submit.registeredDelivery, submit.shortMessage.toString('latin1')],
      ['255712345678', 1, 1, 'ACME', 5, 0, 1, 'Hello over SMPP'])
  })

  test('gateway maps receipt outcomes to statuses with the spec texts', async () => {
    simulator.setRules([{ destination: '+255700000001', outcome: 'UNDELIV', err: '013', delayMs: 20 }, { destination: '+255700000002', outcome: 'REJECTD', err: '007', delayMs: 20 }])
    await produceValues(config, [await acme('undeliv', 'x', '+255700000001'), await acme('rejectd', 'x', '+255700000002')])
    await statuses.waitFor(() => statuses.of('undeliv').length >= 2 && statuses.of('rejectd').length >= 2, 15_000)
    assert.deepEqual([statuses.of('undeliv'), statuses.of('rejectd')], [['SENT', 'FAILED Message was undeliverable: 013'], ['SENT', 'INVALID SMSC rejects message: 007']])
    simulator.setRules([])
  })

  test('gateway sends a long non-GSM text as UCS-2 parts and counts the last part\'s receipt', async () => {
    const before = simulator.submitCount
    await produceValues(config, [await acme('long-ucs2', 'Привет! '.repeat(12))])
    await statuses.waitFor(() => statuses.of('long-ucs2').length >= 2, 15_000)
    const parts = simulator.submitted.slice(-(simulator.submitCount - before))
    assert.deepEqual(parts.map(part => [part.dataCoding, part.esmClass, part.registeredDelivery]), [[8, 0x40, 0], [8, 0x40, 1]])
    assert.deepEqual(statuses.of('long-ucs2'), ['SENT', 'DELIVERED'])
  })

  test('gateway reports SENT before DELIVERED when the receipt overtakes the submit response', async () => {
    simulator.setFaults({ receiptBeforeResponse: true })
    await produceValues(config, [await acme('overtaken', 'race')])
    await statuses.waitFor(() => statuses.of('overtaken').length >= 2, 15_000)
    simulator.setFaults({ receiptBeforeResponse: false })
    assert.deepEqual(statuses.of('overtaken'), ['SENT', 'DELIVERED'])
  })

  test('gateway applies the backend table for recipients and senders', async () => {
    await produceValues(config, [await acme('foreign', 'x', '+4915112345678'), await sealedRequest({ clientId: 'acme', correlId: 'long-sender', body: 'x', sender: 'TWELVE CHARS' })])
    await statuses.waitFor(() => statuses.of('foreign').length > 0 && statuses.of('long-sender').length > 0, 10_000)
    assert.deepEqual([statuses.of('foreign'), statuses.of('long-sender')], [['INVALID Gateway disallows foreign SMS recipient: +4915112345678'], ['INVALID SMS sender does not have a 1-11 character length: TWELVE CHARS']])
  })

  test('gateway keeps going through throttling and a dropped connection, submitting each request once', async () => {
    simulator.setFaults({ throttleNextSubmits: 3 })
    const ids = Array.from({ length: 10 }, (_, index) => `fault-${index}`)
    await produceValues(config, await Promise.all(ids.slice(0, 5).map(async id => await acme(id, id))))
    await statuses.waitFor(() => ids.slice(0, 5).every(id => statuses.of(id).includes('DELIVERED')), 20_000)
    simulator.dropConnections()
    await produceValues(config, await Promise.all(ids.slice(5).map(async id => await acme(id, id))))
    await statuses.waitFor(() => ids.slice(5).every(id => statuses.of(id).includes('DELIVERED')), 30_000)
    for (const id of ids) {
      assert.deepEqual(statuses.of(id), ['SENT', 'DELIVERED'], id)
      assert.equal(simulator.submitted.filter(message => message.shortMessage.toString('latin1') === id).length, 1, `${id} submitted once`)
    }
  })

  test('gateway reports nothing for a submit the SMSC never answers, and does not send it again', async () => {
    simulator.setFaults({ neverAnswerSubmits: true })
    let unanswered = 0
    const count = (): void => { unanswered++ }
    simulator.on('submitRefused', count)
    await produceValues(config, [await acme('unanswered', 'unanswered')])
    await eventually('the submit to reach the SMSC, unanswered', () => unanswered > 0, 10_000)
    // Spec §7: written, never answered: once the response timeout has passed the outcome is
    // unknown, so no status, and never a resend.
    await eventually('the submit given up as an unknown outcome', () => /submit outcome unknown; no status/.test(logs.text), 10_000)
    simulator.setFaults({ neverAnswerSubmits: false })
    simulator.off('submitRefused', count)
    await produceValues(config, [await acme('after-unanswered', 'after')])
    await statuses.waitFor(() => statuses.of('after-unanswered').includes('DELIVERED'), 20_000)
    assert.deepEqual([statuses.of('unanswered'), unanswered], [[], 1])
    assert.match(logs.text, /submit outcome unknown; no status/)
  })

  test('gateway recovers when the SMSC goes away and comes back on its port', async () => {
    const port = simulator.address.port
    await simulator.close()
    await produceValues(config, [await acme('while-down', 'while down')])
    await new Promise(resolve => setTimeout(resolve, 500))
    simulator = await SmscSimulator.start({ port, idFormat: 'zero-padded', receiptIdFormat: 'hex', receiptDelayMs: 50 })
    await statuses.waitFor(() => statuses.of('while-down').length >= 2, 30_000)
    assert.deepEqual(statuses.of('while-down'), ['SENT', 'DELIVERED'])
  })

  test('gateway publishes a mobile-originated SMS on the inbound topic', async () => {
    const inbound = new Consumer({ ...clientOptions({ brokers: config.kafka.brokers, clientId: 'test-inbound' }, 'consumer'), groupId: uniqueTopicName('inbound'), autocommit: false, maxWaitTime: 100 })
    const stream = await inbound.consume({ topics: [config.kafka.topics.inbound], mode: 'earliest' })
    try {
      // 220 characters with an em dash: UCS-2, 67 a part, 4 parts to reassemble.
      await simulator.injectMo({ from: '255712345678', to: '15555', text: 'Habari! Jibu la ujumbe wako — asante sana. '.repeat(5) })
      const { value: message } = await stream[Symbol.asyncIterator]().next()
      const received: InboundSms | null = decodeInboundSms(message?.value?.toString('utf8') ?? '')
      assert.deepEqual([received?.sender, received?.recipient, received?.text, received?.parts, received?.connectionId],
        ['+255712345678', '+15555', 'Habari! Jibu la ujumbe wako — asante sana. '.repeat(5), 4, 'smsc'])
    } finally {
      await stream.close()
      await inbound.close()
    }
  })

  test('gateway logs no recipient or body of SMPP traffic', () => {
    assert.ok(logs.lines.length > 0)
    assert.doesNotMatch(logs.text, /Hello over SMPP|Привет|Habari|712345678/)
  })
})
