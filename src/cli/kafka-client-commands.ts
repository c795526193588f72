import { randomUUID } from 'node:crypto'
import type { Command } from 'commander'
import { sealPayload } from '../crypto/payload/index.ts'
import { SmsgwError, errorCodes } from '../errors.ts'
import { formatSmsText } from '../sms/sms-text.ts'
import { DEFAULT_SEND_SMS_TOPIC, DEFAULT_SMS_STATUS_TOPIC } from '../config/index.ts'
import { DEFAULT_BROKER_CONNECT_TIMEOUT_MS } from '../transport/kafka/client-options.ts'
import { checkFormat } from './choices.ts'
import type { ProgramIo } from './program-io.ts'
import { readPublicKeyFile } from './public-key-file.ts'

const DEFAULT_BROKERS = process.env.SMSGW_KAFKA_BROKERS ?? '127.0.0.1:9092'
const DEFAULT_DEADLINE_MS = 60 * 60 * 1000
const brokersOption = ['--brokers <list>', 'Kafka bootstrap brokers, comma-separated (default $SMSGW_KAFKA_BROKERS)', DEFAULT_BROKERS] as const
const connectTimeoutOption = ['--connect-timeout-ms <ms>', 'give up when no broker answers within this long', String(DEFAULT_BROKER_CONNECT_TIMEOUT_MS)] as const

interface SendOptions { brokers: string, connectTimeoutMs: string, topic: string, client: string, correlId?: string, deadline?: string, pubkey: string, format: string }
interface ListenOptions { brokers: string, connectTimeoutMs: string, topic: string, client?: string, correlId?: string, fromBeginning?: boolean, count?: string, timeoutMs?: string }

/**
 * `smsgw send` and `smsgw listen`: a client's view of the gateway, for operators and demos.
 * The Kafka client loads only when one of them runs, so the other commands start fast.
 */
export function addKafkaClientCommands (program: Command, io: ProgramIo): void {
  program.command('send')
    .description('seal an SMS to the client\'s public key and queue the request on send-sms; prints the correl-id')
    .argument('<recipient>', 'recipient in international format, e.g. +31629845432')
    .argument('<sender>', 'sender name or number')
    .argument('<message...>', 'message body; several words are joined by spaces')
    .requiredOption('--pubkey <file>', 'the client\'s public key (base64 SPKI DER, from `smsgw vault pubkey`)')
    .option('--client <id>', 'client-id', 'test')
    .option('--correl-id <id>', 'correlation id (default: a random UUID)')
    .option('--deadline <instant>', 'ISO-8601 deadline with seconds and zone (default: in one hour)')
    .option('--format <format>', 'payload format: legacy or v2', 'legacy')
    .option(...brokersOption)
    .option(...connectTimeoutOption)
    .option('--topic <topic>', 'request topic (default $SMSGW_KAFKA_TOPICS_SEND_SMS, as the gateway reads it)', process.env.SMSGW_KAFKA_TOPICS_SEND_SMS ?? DEFAULT_SEND_SMS_TOPIC)
    .action(async (recipient: string, sender: string, words: string[], options: SendOptions) => {
      const format = checkFormat(options.format)
      const publicKey = await readPublicKeyFile(options.pubkey)
      const correlId = options.correlId ?? randomUUID()
      const payload = sealPayload(publicKey, Buffer.from(formatSmsText({ To: recipient, Sender: sender }, words.join(' '))), format)
      const deadline = options.deadline ?? new Date(Date.now() + DEFAULT_DEADLINE_MS).toISOString().replace(/\.\d+Z$/, 'Z')
      const { sendRequests } = await import('../transport/kafka/request-sender.ts')
      await reachBrokers(options)
      await sendRequests(connectionOf(options.brokers), options.topic, [JSON.stringify({ 'client-id': options.client, 'correl-id': correlId, deadline, payload })])
      await io.writeStdout(`${correlId}\n`)
    })

  program.command('listen')
    .description('follow sms-status and print each status as one JSON line')
    .option('--client <id>', 'only statuses of this client-id')
    .option('--correl-id <id>', 'only statuses of this correl-id')
    .option('--from-beginning', 'start at the oldest status, not the newest')
    .option('--count <n>', 'exit after this many statuses')
    .option('--timeout-ms <ms>', 'exit (status 1 when --count was not reached) after this long without a status')
    .option(...brokersOption)
    .option(...connectTimeoutOption)
    .option('--topic <topic>', 'status topic (default $SMSGW_KAFKA_TOPICS_SMS_STATUS, as the gateway reads it)', process.env.SMSGW_KAFKA_TOPICS_SMS_STATUS ?? DEFAULT_SMS_STATUS_TOPIC)
    .action(async (options: ListenOptions) => {
      const { followStatuses } = await import('../transport/kafka/status-follower.ts')
      const { encodeStatusEvent } = await import('../domain/status-event.ts')
      const wanted = options.count === undefined ? Infinity : Number(options.count)
      const idleTimeoutMs = options.timeoutMs === undefined ? undefined : Number(options.timeoutMs)
      let seen = 0
      await reachBrokers(options)
      for await (const event of followStatuses(connectionOf(options.brokers), { topic: options.topic, fromBeginning: options.fromBeginning === true, idleTimeoutMs })) {
        if (options.client !== undefined && event.clientId !== options.client) continue
        if (options.correlId !== undefined && event.correlId !== options.correlId) continue
        await io.writeStdout(`${encodeStatusEvent(event)}\n`)
        if (++seen >= wanted) break
      }
      if (seen < wanted && options.count !== undefined) {
        throw new SmsgwError(errorCodes.timeout, `only ${seen} of ${wanted} statuses arrived within ${idleTimeoutMs} ms of quiet`)
      }
    })
}

/** Fails within --connect-timeout-ms, naming the brokers, when none answers (docs/cli.md). */
async function reachBrokers (options: { brokers: string, connectTimeoutMs: string }): Promise<void> {
  const timeoutMs = Number(options.connectTimeoutMs)
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw new SmsgwError(errorCodes.usage, `--connect-timeout-ms must be a whole number of milliseconds from 1, got ${options.connectTimeoutMs}`)
  const { probeBrokers } = await import('../transport/kafka/broker-probe.ts')
  await probeBrokers(connectionOf(options.brokers), timeoutMs)
}

function connectionOf (brokers: string): { brokers: string[], clientId: string } {
  return { brokers: brokers.split(',').map(broker => broker.trim()).filter(broker => broker !== ''), clientId: 'smsgw-cli' }
}
