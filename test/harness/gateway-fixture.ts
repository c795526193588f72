import type { KeyObject } from 'node:crypto'
import { copyFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { Consumer, Producer } from '@platformatic/kafka'
import { BUILTIN_VAULT_FILE, loadConfig, type DeepPartial, type GatewayConfig } from '../../src/config/index.ts'
import { sealPayload, type PayloadFormat } from '../../src/crypto/payload/index.ts'
import { createKeyPair, Vault } from '../../src/crypto/vault/index.ts'
import { decodeStatusEvent, type StatusEvent } from '../../src/domain/status-event.ts'
import { createLogger } from '../../src/log/logger.ts'
import { formatSmsText } from '../../src/sms/sms-text.ts'
import { clientOptions } from '../../src/transport/kafka/client-options.ts'
import { startKafkaGateway, type RunningGateway } from '../../src/app/kafka-gateway.ts'
import { kafkaBrokers, uniqueTopicName } from './kafka.ts'

export const BUILTIN_VAULT_PASSWORD = '123456'
const FAR_DEADLINE = '2100-01-01T00:00:00Z'

let vaultFile: Promise<string> | undefined

/**
 * A copy of the built-in vault (client `test`) with RSA keys for clients `acme` and `other`
 * added, made once per test file in a temp folder.
 */
export async function testVaultFile (): Promise<string> {
  vaultFile ??= (async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'smsgw-vault-')), 'gateway.vault')
    await copyFile(BUILTIN_VAULT_FILE, file)
    await createKeyPair(file, BUILTIN_VAULT_PASSWORD, 'acme', 'rsa')
    await createKeyPair(file, BUILTIN_VAULT_PASSWORD, 'other', 'rsa')
    return file
  })()
  return await vaultFile
}

const publicKeys = new Map<string, KeyObject>()

/** The public key of a client in the test vault. */
export async function clientKey (clientId: string): Promise<KeyObject> {
  let key = publicKeys.get(clientId)
  if (key === undefined) {
    const found = (await Vault.load(await testVaultFile(), BUILTIN_VAULT_PASSWORD)).keysFor(clientId)[0]
    if (found === undefined) throw new Error(`the test vault has no key for ${clientId}`)
    key = found.publicKey
    publicKeys.set(clientId, key)
  }
  return key
}

// Clients with a key in the test vault; a request of any other client is sealed to `test`.
const KEYED_CLIENTS = new Set(['test', 'acme', 'other'])

/** A sealed request value as clients put it on send-sms. */
export async function sealedRequest (fields: { clientId?: string, correlId: string, to?: string, sender?: string, body: string, deadline?: string, format?: PayloadFormat }): Promise<string> {
  const text = formatSmsText({ To: fields.to ?? '+31629845432', Sender: fields.sender ?? 'ACME' }, fields.body)
  const clientId = fields.clientId ?? 'test'
  const sealedTo = await clientKey(KEYED_CLIENTS.has(clientId) ? clientId : 'test')
  const payload = sealPayload(sealedTo, Buffer.from(text), fields.format ?? 'legacy')
  return JSON.stringify({ 'client-id': clientId, 'correl-id': fields.correlId, deadline: fields.deadline ?? FAR_DEADLINE, payload })
}

/** Topics and group of one test, so tests sharing the run's broker never see each other. */
export async function isolatedKafkaConfig (): Promise<DeepPartial<GatewayConfig>> {
  return {
    kafka: {
      brokers: [kafkaBrokers()],
      groupId: uniqueTopicName('group'),
      topics: {
        sendSms: uniqueTopicName('send-sms'),
        smsStatus: uniqueTopicName('sms-status'),
        correlId: uniqueTopicName('correl-id'),
        claims: uniqueTopicName('claims'),
        inbound: uniqueTopicName('inbound')
      }
    },
    vault: { file: await testVaultFile(), password: BUILTIN_VAULT_PASSWORD },
    loopback: { normalDelayMs: 20, longDelayMs: 50 },
    pipeline: { openWorkers: 0, claimTakeoverMs: 2_000, shutdownTimeoutMs: 5_000 }
  }
}

export async function testConfig (...layers: Array<DeepPartial<GatewayConfig>>): Promise<GatewayConfig> {
  const merged = layers.reduce<DeepPartial<GatewayConfig>>((into, layer) => mergeDeep(into, layer), {})
  return await loadConfig({ env: {}, overrides: merged })
}

function mergeDeep<T> (into: T, from: T): T {
  if (typeof into !== 'object' || into === null || Array.isArray(into) || typeof from !== 'object' || from === null || Array.isArray(from)) return from ?? into
  const result: Record<string, unknown> = { ...(into as Record<string, unknown>) }
  for (const [key, value] of Object.entries(from)) result[key] = mergeDeep((into as Record<string, unknown>)[key], value)
  return result as T
}

/** Log lines written by a gateway under test, kept to grep for plaintext. */
export class LogCapture extends Writable {
  readonly lines: string[] = []
  override _write (chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(line => line !== ''))
    callback()
  }

  get text (): string {
    return this.lines.join('\n')
  }
}

/** A gateway running in this process on isolated topics, with what it logs captured. */
export async function startTestGateway (config: GatewayConfig): Promise<{ running: RunningGateway, logs: LogCapture }> {
  const logs = new LogCapture()
  const running = await startKafkaGateway(config, config.vault.password ?? BUILTIN_VAULT_PASSWORD, createLogger({ level: 'debug', destination: logs }))
  return { running, logs }
}

/** Produces raw values to a topic, as any client would (no key). */
export async function produceValues (config: GatewayConfig, values: ReadonlyArray<string | Buffer>, topic = config.kafka.topics.sendSms): Promise<void> {
  const producer = new Producer({ ...clientOptions({ brokers: config.kafka.brokers, clientId: 'test-client' }, 'producer') })
  try {
    for (let start = 0; start < values.length; start += 500) {
      await producer.send({ messages: values.slice(start, start + 500).map(value => ({ topic, value: Buffer.from(value) })) })
    }
  } finally {
    await producer.close()
  }
}

/** Follows sms-status from its beginning and keeps every status, in arrival order. */
export class StatusCollector {
  readonly events: StatusEvent[] = []
  readonly #consumer: Consumer<Buffer, Buffer, Buffer, Buffer>
  readonly #topic: string
  #reading: Promise<void> | undefined
  #stream: Awaited<ReturnType<Consumer<Buffer, Buffer, Buffer, Buffer>['consume']>> | undefined
  readonly #waiters = new Set<() => void>()

  constructor (config: GatewayConfig) {
    this.#topic = config.kafka.topics.smsStatus
    this.#consumer = new Consumer({ ...clientOptions({ brokers: config.kafka.brokers, clientId: 'test-status' }, 'consumer'), groupId: uniqueTopicName('status-group'), autocommit: false, maxWaitTime: 100 })
  }

  async start (): Promise<void> {
    this.#stream = await this.#consumer.consume({ topics: [this.#topic], mode: 'earliest' })
    this.#reading = (async () => {
      for await (const message of this.#stream ?? []) {
        const event = decodeStatusEvent(message.value ?? Buffer.alloc(0))
        if (event !== null) this.events.push(event)
        for (const waiter of this.#waiters) waiter()
      }
    })()
  }

  /** Resolves once `done(events)` holds; rejects after `timeoutMs` with what arrived so far. */
  async waitFor (done: (events: readonly StatusEvent[]) => boolean, timeoutMs: number): Promise<void> {
    if (done(this.events)) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check)
        reject(new Error(`statuses did not arrive in ${timeoutMs} ms; got ${this.events.length}`))
      }, timeoutMs)
      const check = (): void => {
        if (!done(this.events)) return
        clearTimeout(timer)
        this.#waiters.delete(check)
        resolve()
      }
      this.#waiters.add(check)
    })
  }

  /** The statuses of one request, as `STATUS` or `STATUS error-text`. */
  of (correlId: string): string[] {
    return this.events.filter(event => event.correlId === correlId).map(event => event.errorText === undefined ? event.status : `${event.status} ${event.errorText}`)
  }

  async close (): Promise<void> {
    await this.#stream?.close()
    await this.#reading
    await this.#consumer.close()
  }
}
