// Issue 12, "Scale and reliability": on a Kafka deployment the relay's ingress goes through a topic
// of its own so several instances share the work (docs/relay.md, "Several instances (Kafka and
// PostgreSQL)"). Two `smsgw gateway` apps in this process, on one ingress topic and one PostgreSQL
// store: forwards posted to either, and an MO for a relay number on their SMPP binds, are each
// published once to the platform simulator by the real Mastodon client library, processed by both
// instances; one instance stopped mid-way, or killed outright (a
// `bin/smsgw gateway` child and SIGKILL), leaves its partitions to the other, which publishes what
// comes meanwhile (none lost, none doubled); the records on the ingress and reply topics and the
// logs hold no sender, payload or post text.
import { Consumer } from '@platformatic/kafka'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { startKafkaApp, type KafkaApp } from '../../src/app/kafka-app.ts'
import type { GatewayConfig } from '../../src/config/index.ts'
import { createLogger } from '../../src/log/logger.ts'
import { startPlatformSimulator, type PlatformSimulator } from '../../src/platform-sim/index.ts'
import { encodePlatformPayload } from '../../src/relay/payload/index.ts'
import { computeDeviceId } from '../../src/relay/vault/index.ts'
import { commandStatus } from '../../src/smpp/codec/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { clientOptions } from '../../src/transport/kafka/client-options.ts'
import { isolatedKafkaConfig, LogCapture, testConfig } from '../harness/gateway-fixture.ts'
import { GatewayProcess } from '../harness/gateway-process.ts'
import { uniqueTopicName } from '../harness/kafka.ts'
import { completeOnApp, keyFields, newAppKeys } from '../relay/grpc/app-client.ts'
import { entityClient } from '../relay/grpc/entity-harness.ts'
import { publisherClient, textContentV2 } from '../relay/publisher/publisher-harness.ts'
import { newPostgresLocation } from '../store/store-kinds.ts'
import { eventually, temporaryFolder } from './app-fixtures.ts'
import { fileWriterInto, freshRelayKeys, OTP, REDIRECT, simulatedPlatformConfig, SMSC_ACCOUNT } from './relay-app-fixture.ts'

const PHONE = '+237650000044'
const RELAY_NUMBER = '15506'
/** Forwards posted at once: one account's ratchet steps are serialised by the store's compare-and-set. */
const CONCURRENCY = 4

/** Every record of `topic` so far, as raw bytes. */
async function recordsOf (config: GatewayConfig, topic: string): Promise<Buffer[]> {
  const consumer = new Consumer({ ...clientOptions({ brokers: [...config.kafka.brokers], clientId: 'test-relay-ingress' }, 'reader'), groupId: uniqueTopicName('relay-ingress-reader'), autocommit: false, maxWaitTime: 100 })
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest' })
  const records: Buffer[] = []
  let timer: NodeJS.Timeout | undefined
  // The topic holds what the test produced; reading stops once nothing more came for a second.
  const quiet = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => { void stream.close() }, 1_000)
  }
  quiet()
  for await (const message of stream) {
    records.push(message.value ?? Buffer.alloc(0))
    quiet()
  }
  clearTimeout(timer)
  await consumer.close()
  return records
}

/** The partitions (topic/partition) whose records an instance logged as processed. */
function processedStreams (logs: LogCapture): string[] {
  return logs.lines.filter(line => line.includes('relay forward processed')).map(line => (JSON.parse(line) as { stream: string }).stream)
}

/** A relay deployment on Kafka and one PostgreSQL store, with the platform and SMSC simulators; instances are started by the tests. */
async function relayDeployment (t: TestContext): Promise<{ folder: string, config: GatewayConfig, platforms: PlatformSimulator, smsc: SmscSimulator, start: (name: string) => Promise<{ app: KafkaApp, logs: LogCapture }> }> {
  const folder = await temporaryFolder('kafka-relay-ingress')
  const platforms = await startPlatformSimulator({ autoApprove: true })
  t.after(async () => { await platforms.close() })
  const smsc = await SmscSimulator.start({ accounts: [SMSC_ACCOUNT], retainSubmitted: 0, port: 0 })
  t.after(async () => { await smsc.close() })
  const write = fileWriterInto(folder)
  const config = await testConfig(await isolatedKafkaConfig(), {
    kafka: { partitions: 4 },
    smpp: { host: '127.0.0.1', port: smsc.address.port, ...SMSC_ACCOUNT },
    store: { url: await newPostgresLocation() },
    relay: {
      ...await freshRelayKeys(write),
      ingress: true,
      ingressNumbers: [`+${RELAY_NUMBER}`],
      ingressTopic: uniqueTopicName('relay-ingress'),
      ingressReplyTopic: uniqueTopicName('relay-ingress-replies'),
      environment: 'development',
      otpDevelopmentCode: OTP,
      otpDevelopmentIdentifiers: [PHONE],
      // Notices are the outbound side's (embedded-app-ingress.test.ts); this test is about the ingress.
      deliveryNotices: false,
      platforms: { mastodon: await simulatedPlatformConfig(platforms, 'mastodon', write) }
    }
  })
  const start = async (name: string): Promise<{ app: KafkaApp, logs: LogCapture }> => {
    const logs = new LogCapture()
    const app = await startKafkaApp(config, config.vault.password ?? '', createLogger({ level: 'debug', destination: logs }), { host: '127.0.0.1', port: 0, apiKeysFile: join(folder, `${name}-api-keys.json`) }, join(folder, name))
    t.after(async () => { await app.close() })
    return { app, logs }
  }
  return { folder, config, platforms, smsc, start }
}

/** An account signed up through `vaultPort`, Mastodon linked through `publisherPort`, and forwards of its payloads posted to the ingress. */
async function linkedSender (t: TestContext, platforms: PlatformSimulator, vaultPort: number | undefined, publisherPort: number | undefined): Promise<{ texts: string[], payloads: string[], payload: (text: string) => string, forward: (count: number, to: (i: number) => string) => Promise<Array<[number, unknown]>>, latenciesMs: number[] }> {
  const entity = entityClient(vaultPort ?? assert.fail('no vault port'))
  const publisher = publisherClient(publisherPort ?? assert.fail('no publisher port'))
  t.after(() => {
    entity.close()
    publisher.close()
  })
  const keys = newAppKeys()
  const signUp = { country_code: 'CM', phone_number: PHONE, password: 'Str0ng!pass', ...keyFields(keys) }
  await entity.call('CreateEntity', signUp)
  const session = completeOnApp(keys, await entity.call('CreateEntity', { ...signUp, ownership_proof_response: OTP }))
  const url = await publisher.call('GetOAuth2AuthorizationUrl', { platform: 'mastodon', state: 'bWFzdG9kb24sZmFsc2U=', autogenerate_code_verifier: true, redirect_url: REDIRECT })
  const redirect = await fetch(String(url.authorization_url), { redirect: 'manual' })
  const code = new URL(redirect.headers.get('location') ?? assert.fail('no redirect')).searchParams.get('code') ?? assert.fail('no code')
  await publisher.call('ExchangeOAuth2CodeAndStore', { long_lived_token: session.token, platform: 'mastodon', authorization_code: code, code_verifier: url.code_verifier, redirect_url: REDIRECT })
  const [stored] = (await entity.call('ListEntityStoredTokens', { long_lived_token: session.token })).stored_tokens as Array<{ account_identifier: string }>
  const account = stored?.account_identifier ?? assert.fail('no token stored')
  const deviceId = computeDeviceId(session.deviceSecret, PHONE, keys.deviceId.publicKey)
  const texts: string[] = []
  const payloads: string[] = []
  const payload = (text: string): string => {
    texts.push(text)
    const made = encodePlatformPayload({ version: 2, platformShortcode: 'm', encryptedMessage: session.send(textContentV2(account, text)), deviceId, language: 'en' }).toString('base64')
    payloads.push(made)
    return made
  }
  const latenciesMs: number[] = []
  /** Posts `count` forwards, `CONCURRENCY` at a time, each to the instance `to(i)` names; resolves with their answers. */
  const forward = async (count: number, to: (i: number) => string): Promise<Array<[number, unknown]>> => {
    const answers: Array<[number, unknown]> = []
    for (let first = 0; first < count; first += CONCURRENCY) {
      answers.push(...await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count - first) }, async (_, offset) => {
        const sentAt = performance.now()
        const response = await fetch(`${to(first + offset)}/v3/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: payload(`Forward ${randomUUID()}`), address: PHONE, date: Date.now(), date_sent: Date.now() - 3000 }) })
        const answer = [response.status, await response.json()] as [number, unknown]
        latenciesMs.push(performance.now() - sentAt)
        return answer
      })))
    }
    return answers
  }
  return { texts, payloads, payload, forward, latenciesMs }
}

const published: [number, unknown] = [200, { publisher_response: 'Successfully sent message' }]

/** Forwards in rounds until `done`, for 30 s at most; resolves with every answer. */
async function forwardUntil (done: () => boolean, round: () => Promise<Array<[number, unknown]>>): Promise<Array<[number, unknown]>> {
  const answers: Array<[number, unknown]> = []
  const deadline = Date.now() + 30_000
  while (!done()) {
    assert.ok(Date.now() < deadline, 'not done within 30 s')
    answers.push(...await round())
  }
  return answers
}

/** The HTTP side's URL of an instance. */
const urlOf = (app: KafkaApp): string => app.url ?? assert.fail('no HTTP side')

test('smsgw gateway twice on one ingress topic and one PostgreSQL store: every forward published once, the work shared, an instance stopped mid-way leaves its partitions to the other; nothing in clear on the topics or in the logs', { timeout: 180_000 }, async t => {
  const { config, platforms, smsc, start } = await relayDeployment(t)
  const a = await start('a')
  const b = await start('b')
  // Both are members of the ingress topic's group once each has joined it.
  await eventually('both instances to consume the ingress topic', () => [a, b].every(instance => instance.logs.lines.some(line => line.includes('relay ingress topic consumed'))), 30_000)

  // Sign up on one instance and link Mastodon on the other: one store serves both.
  const { texts, payloads, payload, forward, latenciesMs } = await linkedSender(t, platforms, a.app.relayGrpcPort, b.app.relayPublisherGrpcPort)

  // Forwards to either instance until both have processed some (the rebalance that gives the
  // second instance its partitions may take a moment after it joined), then twenty more, timed.
  const toEither = (i: number): string => urlOf((i % 2 === 0 ? a : b).app)
  const firstRound = await forwardUntil(() => processedStreams(a.logs).length > 0 && processedStreams(b.logs).length > 0, async () => await forward(CONCURRENCY, toEither))
  latenciesMs.length = 0
  const firstStartedAt = performance.now()
  firstRound.push(...await forward(20, toEither))
  // What a forward costs through the topic (docs/relay.md quotes it): produce, consume, decrypt, publish, answer.
  const sorted = [...latenciesMs].sort((x, y) => x - y)
  t.diagnostic(`20 forwards, ${CONCURRENCY} at a time: ${(20_000 / (performance.now() - firstStartedAt)).toFixed(0)}/s, p50 ${sorted[9]?.toFixed(1)} ms, max ${sorted[19]?.toFixed(1)} ms`)
  assert.deepStrictEqual(firstRound, firstRound.map(() => published))
  assert.deepStrictEqual(platforms.posts().map(post => post.text).sort(), [...texts].sort())
  // An instance logs a record once it has answered it: the count may trail the answers by a moment.
  await eventually('every record to be logged as processed', () => processedStreams(a.logs).length + processedStreams(b.logs).length >= texts.length)
  const processedByA = processedStreams(a.logs)
  const processedByB = processedStreams(b.logs)
  assert.equal(processedByA.length + processedByB.length, texts.length, 'each record processed once')

  // An MO for the relay number on a bind of either instance goes through the topic too, and not to sms-inbound.
  const viaSmpp = payload(`Sent to our own number ${randomUUID()}`)
  await eventually('the gateways to bind', () => smsc.boundSessions >= 2)
  const parts = (await smsc.injectMo({ from: PHONE, to: RELAY_NUMBER, text: viaSmpp })).commandStatuses
  assert.ok(parts.length > 0 && parts.every(part => part === commandStatus.ESME_ROK), String(parts))
  await eventually('the MO\'s post', () => platforms.posts().length === texts.length)
  assert.deepStrictEqual(platforms.posts().map(post => post.text).sort(), [...texts].sort())

  // A stops while forwards keep coming: those it accepted before are answered, those after go to
  // B, and A's partitions pass to B, which processes what lands there.
  const before = texts.length
  const secondRound = forward(20, () => urlOf(b.app))
  const stopping = (async () => {
    await eventually('the second round to be under way', () => platforms.posts().length >= before + 4, 30_000)
    await a.app.close()
  })()
  const [answers] = await Promise.all([secondRound, stopping])
  assert.deepStrictEqual(answers, answers.map(() => published))
  const posts = platforms.posts().map(post => post.text)
  assert.equal(posts.length, texts.length)
  assert.deepStrictEqual([...posts].sort(), [...texts].sort(), 'every forward posted, none twice')
  const takenOver = new Set(processedStreams(b.logs).slice(processedByB.length))
  assert.ok(processedByA.some(stream => takenOver.has(stream)), 'B processed records of a partition A held before')
  await b.app.close()

  // Nothing in clear on either topic or in either instance's logs.
  const forwardRecords = await recordsOf(config, config.relay.ingressTopic)
  const replyRecords = await recordsOf(config, config.relay.ingressReplyTopic)
  assert.equal(forwardRecords.length, texts.length, 'one record per forward')
  // An instance's phone waited for a forward the other processed: its answer came back over the reply topic.
  assert.ok(replyRecords.length > 0, 'answers crossed between the instances')
  const onTopics = Buffer.concat([...forwardRecords, ...replyRecords, ...await recordsOf(config, config.kafka.topics.inbound)])
  const secrets = [PHONE, PHONE.slice(1), ...texts, ...payloads, ...payloads.map(made => made.slice(10, 50))]
  assert.deepStrictEqual(secrets.filter(secret => onTopics.includes(Buffer.from(secret))), [], 'no number, payload or text on the topics (sms-inbound included)')
  const logText = a.logs.text + b.logs.text
  assert.deepStrictEqual(secrets.filter(secret => logText.includes(secret)), [], 'nor in the logs')
})

test('an instance killed (SIGKILL) leaves its partitions to the other once the group notices: the forwards landing there meanwhile are answered and posted once; nothing in clear in its output', { timeout: 180_000 }, async t => {
  const { folder, config, platforms, start } = await relayDeployment(t)
  const b = await start('b')
  // A is a real `smsgw gateway` process on the same configuration, so it can be killed outright.
  const configFile = join(folder, 'a.json')
  await writeFile(configFile, JSON.stringify({ ...config, log: { ...config.log, level: 'debug' } }))
  const a = new GatewayProcess({}, ['--config', configFile, '--data', join(folder, 'a')])
  t.after(async () => { await a.stop() })
  await a.waitForLog('relay ingress topic consumed', 60_000)
  const { texts, payloads, forward } = await linkedSender(t, platforms, b.app.relayGrpcPort, b.app.relayPublisherGrpcPort)

  // Forwards to B until A has processed some: A holds partitions, and its answers came back to B.
  const answers = await forwardUntil(() => a.logged('relay forward processed').length > 0, async () => await forward(CONCURRENCY, () => urlOf(b.app)))
  const streamsOfA = new Set(a.logged('relay forward processed').map(record => String(record.stream)))
  assert.ok(streamsOfA.size > 0, 'A processed forwards')
  a.kill('SIGKILL')
  assert.equal((await a.exit(5_000)).signal, 'SIGKILL')

  // What lands on A's partitions waits for the group to notice (its session timeout), then B has it.
  // Forwards go on (their keys are random) until B has processed one on a partition A held.
  const processedBefore = processedStreams(b.logs).length
  answers.push(...await forwardUntil(() => processedStreams(b.logs).slice(processedBefore).some(stream => streamsOfA.has(stream)), async () => await forward(CONCURRENCY, () => urlOf(b.app))))
  assert.deepStrictEqual(answers, answers.map(() => published))
  assert.deepStrictEqual(platforms.posts().map(post => post.text).sort(), [...texts].sort(), 'every forward posted, none twice')
  const secrets = [PHONE, PHONE.slice(1), ...texts, ...payloads, ...payloads.map(made => made.slice(10, 50))]
  assert.deepStrictEqual(secrets.filter(secret => a.output.includes(secret) || b.logs.text.includes(secret)), [], 'no number, payload or text in either instance\'s logs')
})
