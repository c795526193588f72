// `smsgw gateway` with the relay configured (docs/relay.md, "One-time codes"): the relay vault
// starts beside the gateway on Kafka over its store, and its OTP SMS is an ordinary sealed
// request on send-sms, consumed by the same pipeline and sent to the SMSC like any client's.
import { Consumer } from '@platformatic/kafka'
import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { startKafkaApp } from '../../src/app/kafka-app.ts'
import { createLogger } from '../../src/log/logger.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { openStore } from '../../src/store/open-store.ts'
import { clientOptions } from '../../src/transport/kafka/client-options.ts'
import { isolatedKafkaConfig, LogCapture, StatusCollector, testConfig } from '../harness/gateway-fixture.ts'
import { uniqueTopicName } from '../harness/kafka.ts'
import { keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { newPostgresLocation } from '../store/store-kinds.ts'
import { temporaryFolder } from './app-fixtures.ts'

const SMSC_ACCOUNT = { systemId: 'smsgw', password: 'secret' }
/** A client with an RSA key in the test vault, sent over SMPP (not the loop-back's `test`). */
const OTP_CLIENT = 'acme'
const OTP_VALIDITY_MS = 10 * 60 * 1000

/** The first record of `topic`, as raw bytes. */
async function firstRecord (brokers: readonly string[], topic: string): Promise<Buffer> {
  const consumer = new Consumer({ ...clientOptions({ brokers: [...brokers], clientId: 'test-send-sms' }, 'consumer'), groupId: uniqueTopicName('send-sms-reader'), autocommit: false, maxWaitTime: 100 })
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest' })
  try {
    const { value: message } = await stream[Symbol.asyncIterator]().next()
    return message?.value ?? assert.fail('no record on send-sms')
  } finally {
    await stream.close()
    await consumer.close()
  }
}

for (const storeKind of ['sqlite', 'postgres'] as const) {
  describe(`smsgw gateway with the relay over ${storeKind === 'sqlite' ? 'smsgw.db in its data folder' : 'PostgreSQL (store.url)'}`, { timeout: 90_000 }, () => {
    test('gateway sends the OTP as a sealed request of relay.otpSmsClient on send-sms to the SMSC; the code creates the account in the store, counted in the metrics; neither the number nor the code is in the logs, the metrics or on the topic in clear', async () => {
      const folder = await temporaryFolder('kafka-relay')
      const dataDir = join(folder, 'data')
      const storeUrl = storeKind === 'postgres' ? await newPostgresLocation() : undefined
      const identifierKeyFile = join(folder, 'identifier.key')
      const pepperFile = join(folder, 'pepper')
      await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
      await writeFile(pepperFile, `${randomBytes(32).toString('base64')}\n`)
      const logs = new LogCapture()
      const phone = '+237650000042'
      const request = { country_code: 'CM', phone_number: phone, password: 'Str0ng!pass', ...keyFields(newAppKeys()) }
      let code: string
      let record: Buffer
      let metrics: string
      let app: Awaited<ReturnType<typeof startKafkaApp>> | undefined
      let client: ReturnType<typeof entityClient> | undefined
      let statuses: StatusCollector | undefined
      const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 10, port: 0 })
      try {
        const config = await testConfig(await isolatedKafkaConfig(), {
          clients: { allowed: [OTP_CLIENT] },
          smpp: { host: '127.0.0.1', port: smsc.address.port, ...SMSC_ACCOUNT },
          ...(storeUrl === undefined ? {} : { store: { url: storeUrl } }),
          relay: { sealingKey: `k1 ${randomBytes(32).toString('base64')}`, identifierKeyFile, pepperFile, grpcPort: 0, otpSmsClient: OTP_CLIENT }
        })
        app = await startKafkaApp(config, config.vault.password ?? '', createLogger({ level: 'debug', destination: logs }), { host: '127.0.0.1', port: 0, apiKeysFile: join(folder, 'api-keys.json') }, dataDir)
        // Follows sms-status once the gateway has made its topics.
        statuses = new StatusCollector(config)
        await statuses.start()
        client = entityClient(app.relayGrpcPort ?? assert.fail('no gRPC port'))
        const askedAtMs = Date.now()
        assert.equal((await client.call('CreateEntity', request)).message, 'OTP sent. Check your phone.')
        const [sms] = await smsc.waitForSubmits(1, 20_000)
        assert.ok(sms !== undefined)
        assert.deepEqual([sms.destination.replace(/^\+/, ''), sms.source], [phone.slice(1), 'RelaySMS'])
        code = (/^Your RelaySMS Verification Code is: (\d{6})$/.exec(sms.shortMessage.toString('latin1')) ?? assert.fail('not the OTP text'))[1] as string
        assert.equal((await client.call('CreateEntity', { ...request, ownership_proof_response: code })).message, 'Entity created successfully')

        record = await firstRecord(config.kafka.brokers, config.kafka.topics.sendSms)
        const sent = JSON.parse(record.toString('utf8')) as Record<string, string>
        assert.deepEqual(Object.keys(sent).sort(), ['client-id', 'correl-id', 'deadline', 'payload'])
        assert.equal(sent['client-id'], OTP_CLIENT)
        assert.match(sent['correl-id'] ?? '', /^relay-otp-[0-9a-f-]{36}$/)
        assert.match(sent.payload ?? '', /^U0dXAg[M-P]/, 'sealed with the client\'s vault key by its holder: v2 suite 03')
        const deadlineMs = Date.parse(sent.deadline ?? '')
        assert.ok(deadlineMs >= askedAtMs + OTP_VALIDITY_MS - 1000 && deadlineMs <= Date.now() + OTP_VALIDITY_MS, 'the deadline is the code\'s expiry')
        // The same pipeline reports it on sms-status, as any client's request.
        await statuses.waitFor(events => events.some(event => event.correlId === sent['correl-id'] && event.status === 'SENT'), 20_000)
        metrics = await (await fetch(`${app.url ?? assert.fail('no HTTP side')}/metrics`)).text()
        for (const series of [
          'smsgw_relay_rpcs_total{method="CreateEntity",code="OK"} 2',
          'smsgw_relay_otps_total{channel="phone",outcome="sent"} 1',
          'smsgw_relay_accounts 1'
        ]) assert.ok(metrics.split('\n').includes(series), series)
      } finally {
        client?.close()
        await app?.close()
        await statuses?.close()
        await smsc.close()
      }
      const after = entityClient(app.relayGrpcPort ?? assert.fail('no gRPC port'))
      await assert.rejects(after.call('ListEntityStoredTokens', {}), (error: { code: number }) => error.code === status.UNAVAILABLE, 'nothing listens after close')
      after.close()

      const location = storeUrl ?? join(dataDir, 'smsgw.db')
      const store = await openStore(location)
      try {
        assert.equal(await store.relay.count(), 1, 'the account is in the relay\'s store')
      } finally {
        await store.close()
      }
      assert.ok(logs.lines.some(line => line.includes('relay vault gRPC server started')), 'the logs were captured')
      const secrets = [phone, phone.slice(1), code]
      assert.deepEqual(secrets.filter(secret => logs.text.includes(secret)), [], 'no number or code in the logs')
      assert.deepEqual(secrets.filter(secret => record.includes(Buffer.from(secret))), [], 'no number or code on send-sms')
      assert.deepEqual(secrets.filter(secret => metrics.includes(secret)), [], 'nor in the metrics')
      if (storeUrl === undefined) {
        const files = [location, `${location}-wal`].filter(file => existsSync(file))
        const stored = Buffer.concat(await Promise.all(files.map(async file => await readFile(file))))
        assert.deepEqual(secrets.filter(secret => stored.includes(Buffer.from(secret))), [], 'no number or code in the store')
      }
    })
  })
}

test('smsgw gateway with relay.grpcPort but no pepper file refuses to start, naming the setting, before the gateway starts, and closes the relay store it opened', async () => {
  const folder = await temporaryFolder('kafka-relay')
  const identifierKeyFile = join(folder, 'identifier.key')
  await writeFile(identifierKeyFile, `${randomBytes(24).toString('base64')}\n`)
  const config = await testConfig(await isolatedKafkaConfig(), {
    relay: { sealingKey: `k1 ${randomBytes(32).toString('base64')}`, identifierKeyFile, pepperFile: join(folder, 'missing'), grpcPort: 0 }
  })
  const logs = new LogCapture()
  await assert.rejects(
    startKafkaApp(config, config.vault.password ?? '', createLogger({ level: 'debug', destination: logs }), undefined, join(folder, 'data')),
    { code: 'SMSGW_RELAY_KEY_FILE', message: /relay\.pepperFile/ }
  )
  // The relay starts first (its store, then its parts), so the gateway never started; the store
  // it opened is closed again: the test process would not end otherwise.
  assert.ok(logs.lines.some(line => line.includes('relay store opened')), logs.text)
  assert.ok(!logs.lines.some(line => line.includes('gateway started')), logs.text)
})
