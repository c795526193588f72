// `bin/smsgw gateway` as operators run it: a real child process configured by environment
// variables (or the Java gateway's properties file), on isolated topics of the run's broker.
// It is killed with SIGKILL under load, stopped with SIGTERM, and its output is grepped for
// plaintext (spec §7 at most once / unknown outcome, §9 client log, §10 configuration).
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, test } from 'node:test'
import { loadConfig, type DeepPartial, type GatewayConfig } from '../../../src/config/index.ts'
import type { StatusEvent } from '../../../src/domain/status-event.ts'
import { BUILTIN_VAULT_PASSWORD, isolatedKafkaConfig, produceValues, sealedRequest, StatusCollector, testConfig, testVaultFile } from '../../harness/gateway-fixture.ts'
import { eventually } from '../../harness/eventually.ts'
import { configEnv, GatewayProcess } from '../../harness/gateway-process.ts'
import { temporaryFolder } from '../../harness/temporary-folder.ts'

/** Starting takes node, type stripping, the open workers and three Kafka group joins. */
const START_TIMEOUT_MS = 20_000
const SHUTDOWN_TIMEOUT_MS = 5_000

const countOf = (events: readonly StatusEvent[], status: string): number => events.filter(event => event.status === status).length

describe('smsgw gateway process', { timeout: 85_000 }, () => {
  const processes: GatewayProcess[] = []
  const collectors: StatusCollector[] = []

  afterEach(async () => {
    await Promise.all(processes.splice(0).map(async child => await child.stop()))
    await Promise.all(collectors.splice(0).map(async collector => await collector.close()))
  })

  /** The isolated topics and group of one test, with `layer` on top, as config and as env. */
  async function isolated (layer: DeepPartial<GatewayConfig>): Promise<{ config: GatewayConfig, env: Record<string, string> }> {
    const { kafka } = await isolatedKafkaConfig()
    const config = await testConfig({ kafka }, layer)
    return { config, env: configEnv({ kafka: { brokers: config.kafka.brokers, groupId: config.kafka.groupId, topics: config.kafka.topics }, ...layer }) }
  }

  async function startGateway (env: Record<string, string>, args: readonly string[] = []): Promise<GatewayProcess> {
    const child = new GatewayProcess(env, args)
    processes.push(child)
    await child.waitForLog('gateway started', START_TIMEOUT_MS)
    return child
  }

  async function collectStatuses (config: GatewayConfig): Promise<StatusCollector> {
    const collector = new StatusCollector(config)
    await collector.start()
    collectors.push(collector)
    return collector
  }

  /** SIGTERM, then the exit code and how long the graceful stop took. */
  async function terminate (child: GatewayProcess): Promise<{ code: number | null, elapsedMs: number }> {
    const startedMs = performance.now()
    child.kill('SIGTERM')
    const { code } = await child.exit(SHUTDOWN_TIMEOUT_MS + 5_000)
    return { code, elapsedMs: performance.now() - startedMs }
  }

  test('gateway process answers every request after SIGKILL under load and a restart', async t => {
    const { config, env } = await isolated({
      loopback: { normalDelayMs: 10, longDelayMs: 30 },
      pipeline: { maxInFlight: 100, claimTakeoverMs: 1_500, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS }
    })
    const first = await startGateway(env)
    const statuses = await collectStatuses(config)
    const ids = Array.from({ length: 500 }, (_, index) => `load-${index}`)
    const request = await sealedRequest({ correlId: 'template', body: 'under load' })
    await produceValues(config, ids.map(correlId => request.replace('"template"', JSON.stringify(correlId))))
    // Half of the 1000 statuses (SENT and DELIVERED of each): many requests are mid-flight.
    await statuses.waitFor(events => events.length >= ids.length, 30_000)
    first.kill('SIGKILL')
    const atKill = { statuses: statuses.events.length, delivered: countOf(statuses.events, 'DELIVERED') }
    assert.equal((await first.exit(5_000)).signal, 'SIGKILL')
    assert.ok(atKill.delivered < ids.length, `killed before the end: ${atKill.delivered} DELIVERED at the kill`)

    const second = await startGateway(env)
    const notEndingDelivered = (): string[] => ids.filter(id => statuses.of(id).at(-1) !== 'DELIVERED')
    await statuses.waitFor(() => notEndingDelivered().length === 0, 30_000).catch(() => {})
    // A replay still under way would show as a SENT after the DELIVERED.
    await sleep(500)
    assert.deepEqual(notEndingDelivered(), [], 'every request ends with a DELIVERED')
    // The loop-back is replayable (it skips the ledger): what the killed process had not
    // committed is played again after the restart, so those statuses may come twice, but only
    // once more: one partial or whole first run, then at most one whole replay.
    assert.deepEqual(ids.filter(id => statuses.of(id).length > 4), [], 'no request played more than twice')
    const duplicates = statuses.events.length - 2 * ids.length
    const replayed = ids.filter(id => statuses.of(id).length > 2).length
    t.diagnostic(`SIGKILL at ${atKill.statuses} statuses (${atKill.delivered} DELIVERED); after the restart ${duplicates} duplicate statuses, ${replayed} requests replayed`)
    assert.equal((await terminate(second)).code, 0)
  })

  test('gateway process stops gracefully on SIGTERM and commits what it finished', async t => {
    const { config, env } = await isolated({
      loopback: { normalDelayMs: 10, longDelayMs: 1_500 },
      pipeline: { shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS }
    })
    const first = await startGateway(env)
    const statuses = await collectStatuses(config)
    const ids = Array.from({ length: 60 }, (_, index) => `graceful-${index}`)
    await produceValues(config, await Promise.all(ids.map(async correlId => await sealedRequest({ correlId, body: 'S1D1 graceful' }))))
    // Every request has its SENT and waits 1.5 s for its DELIVERED: all 60 are in flight.
    await statuses.waitFor(events => countOf(events, 'SENT') === ids.length, 15_000)
    const { code, elapsedMs } = await terminate(first)
    t.diagnostic(`SIGTERM with ${ids.length} requests in flight: exit ${code} after ${Math.round(elapsedMs)} ms`)
    assert.equal(code, 0)
    assert.ok(elapsedMs < SHUTDOWN_TIMEOUT_MS, `stopped within the shutdown timeout: ${Math.round(elapsedMs)} ms`)
    const stopped = first.logged('gateway stopped')
    assert.equal(stopped.length, 1, 'logs "gateway stopped"')
    assert.equal(stopped[0]?.handled, ids.length)
    await statuses.waitFor(events => countOf(events, 'DELIVERED') === ids.length, 5_000)

    // One sentinel per partition (a fresh producer goes round-robin): once they are answered,
    // the restarted process has read everything before them.
    const second = await startGateway(env)
    const sentinels = Array.from({ length: config.kafka.partitions }, (_, index) => `sentinel-${index}`)
    await produceValues(config, await Promise.all(sentinels.map(async correlId => await sealedRequest({ correlId, body: 'S1D0 sentinel' }))))
    await statuses.waitFor(() => sentinels.every(id => statuses.of(id).length > 0), 15_000)
    await sleep(300)
    assert.equal((await terminate(second)).code, 0)

    assert.deepEqual(ids.filter(id => statuses.of(id).join() !== 'SENT,DELIVERED'), [], 'no status again for a finished request')
    assert.equal(second.logged('gateway stopped')[0]?.handled, sentinels.length, 'the restart got only the sentinels: the offsets were committed')
  })

  test('gateway process runs on the Java gateway\'s application.properties', async () => {
    const { config } = await isolated({})
    const clientLogDir = await temporaryFolder('client-log')
    const file = join(await temporaryFolder('properties'), 'application.properties')
    await writeFile(file, [
      '# as deployed with the older gateway',
      `sms.gateway.kafka.brokers=${config.kafka.brokers.join(',')}`,
      `sms.gateway.kafka.inbound-topic=${config.kafka.topics.sendSms}`,
      `sms.gateway.kafka.outbound-topic=${config.kafka.topics.smsStatus}`,
      `sms.gateway.kafka.correl-topic=${config.kafka.topics.correlId}`,
      `sms.gateway.kafka.group-id=${config.kafka.groupId}`,
      'sms.gateway.allowed-clients=test',
      `sms.gateway.client-log.dir=${clientLogDir}`,
      'sms.gateway.crypto.keystore=classpath:/builtin.vault',
      `sms.gateway.crypto.keypass=${BUILTIN_VAULT_PASSWORD}`,
      'sms.gateway.route.test-client.normal-delay=20',
      'sms.gateway.route.test-client.long-delay=50',
      ''
    ].join('\n'))
    // The ledger topic is ours alone: the Java gateway had none.
    const child = await startGateway(configEnv({ kafka: { topics: { claims: config.kafka.topics.claims } } }), ['--config', file])
    const statuses = await collectStatuses(config)
    await produceValues(config, [await sealedRequest({ correlId: 'from-properties', body: 'S1D1 configured the Java way' })])
    await statuses.waitFor(() => statuses.of('from-properties').length === 2, 15_000)
    assert.deepEqual(statuses.of('from-properties'), ['SENT', 'DELIVERED'])

    const logFile = join(clientLogDir, 'test.log')
    let clientLog = ''
    await eventually('two lines in the client log', async () => (clientLog = await readFile(logFile, 'utf8').catch(() => '')).split('\n').length >= 3, 5_000)
      .catch(() => {}) // the assertions below show what it holds
    // Spec §9: timestamp, client-id, correl-id, sms-status, recall-id, error-text; tabs; LF.
    const lines = clientLog.split('\n')
    assert.equal(lines.pop(), '', 'every line ends in \\n')
    assert.deepEqual(lines.map(line => line.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\t/, 'TIME\t')), [
      'TIME\ttest\tfrom-properties\tSENT\t\t',
      'TIME\ttest\tfrom-properties\tDELIVERED\t\t'
    ])
    assert.equal((await terminate(child)).code, 0)
  })

  test('gateway process logs no recipient or body at level debug, through errors and a SIGKILL', async () => {
    const { config, env } = await isolated({
      clients: { allowed: ['test', 'acme'] },
      loopback: { normalDelayMs: 10, longDelayMs: 2_000 },
      pipeline: { claimTakeoverMs: 1_500, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS },
      log: { level: 'debug' }
    })
    const secretEnv = { ...env, ...configEnv({ vault: { file: await testVaultFile(), password: BUILTIN_VAULT_PASSWORD } }) }
    // Digits and words that appear nowhere else: in the sealed payloads only.
    const secretDigits = '7991234567'
    const secretWords = 'Quokka-Pineapple-Sonata'
    const to = `+255${secretDigits}`
    const requests: Array<[string, Parameters<typeof sealedRequest>[0]]> = [
      ['valid', { correlId: 'valid', to, body: `${secretWords} S1D0` }],
      ['bad-number', { correlId: 'bad-number', to: `+255${secretDigits}x`, body: secretWords }],
      ['not-international', { correlId: 'not-international', to: `00255${secretDigits}`, body: secretWords }],
      ['no-sender', { correlId: 'no-sender', to, sender: '', body: `${secretWords} S1D0` }],
      ['long-sender', { correlId: 'long-sender', clientId: 'acme', to, sender: `Sender${secretDigits}`, body: secretWords }],
      ['smsc', { correlId: 'smsc', clientId: 'acme', to, body: secretWords }],
      ['fail', { correlId: 'fail', to, body: `${secretWords} FAIL` }]
    ]
    const first = await startGateway(secretEnv)
    const statuses = await collectStatuses(config)
    await produceValues(config, await Promise.all(requests.map(async ([, fields]) => await sealedRequest(fields))))
    await statuses.waitFor(() => requests.every(([id]) => statuses.of(id).length > 0), 15_000)
    assert.match(statuses.of('bad-number').join(), /INVALID SMS recipient not a valid number/)
    // Requests killed mid-flight: SENT out, DELIVERED 2 s later, which the kill cuts off.
    const killed = Array.from({ length: 10 }, (_, index) => `killed-${index}`)
    await produceValues(config, await Promise.all(killed.map(async correlId => await sealedRequest({ correlId, to, body: `${secretWords} S1D1` }))))
    await statuses.waitFor(() => killed.every(id => statuses.of(id).length > 0), 15_000)
    first.kill('SIGKILL')
    await first.exit(5_000)

    const second = await startGateway(secretEnv)
    await statuses.waitFor(() => killed.every(id => statuses.of(id).includes('DELIVERED')), 20_000)
    assert.equal((await terminate(second)).code, 0)

    // Both runs read the same environment: the level they logged at.
    assert.equal((await loadConfig({ env: secretEnv })).log.level, 'debug')
    assert.deepEqual([first, second].map(child => child.logged('gateway started').length), [1, 1])
    const lines = [first.output, second.output].join('\n').split('\n')
    const secret = new RegExp(`${secretDigits}|${secretWords}|Quokka|Pineapple`)
    assert.deepEqual(lines.filter(line => secret.test(line)), [], 'lines with plaintext')
  })
})
