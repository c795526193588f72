import type { Command } from 'commander'
import { SmsgwError, errorCodes } from '../errors.ts'
import { unknownOutcomeJsonOf, type UnknownOutcomes } from '../gateway/ledger/unknown-outcomes.ts'
import type { ProgramIo } from './program-io.ts'

interface TopicOptions { config?: string, brokers?: string }

/**
 * `smsgw unknown-outcomes list|resolve`: the requests of the Kafka gateway whose outcome is unknown
 * (they may have reached the SMSC and got no status), read from the request ledger's topic, for
 * operators to reconcile with the SMSC and resolve (docs/delivery-guarantees.md). The embedded
 * gateway serves the same at GET /v1/operator/unknown-outcomes.
 */
export function addUnknownOutcomesCommand (program: Command, io: ProgramIo): void {
  const command = program.command('unknown-outcomes').description('list or resolve the requests whose outcome is unknown (Kafka gateway)')

  command.command('list')
    .description('print each unknown outcome as one JSON line: client-id, correl-id, source, claimed-at, writing-at (ids and times only)')
    .option('--config <file>', 'the gateway\'s configuration file (topics, claimTakeoverMs)')
    .option('--brokers <list>', 'Kafka bootstrap brokers, comma-separated (overrides the configuration)')
    .action(async (options: TopicOptions) => {
      const outcomes = await withOutcomes(options, io, async unknown => await unknown.list())
      await io.writeStdout(outcomes.map(outcome => `${JSON.stringify(unknownOutcomeJsonOf(outcome))}\n`).join(''))
    })

  command.command('resolve')
    .description('forget the unknown outcome of one request, once it is reconciled with the SMSC')
    .argument('<client>', 'client-id')
    .argument('<correl-id>', 'correl-id')
    .option('--config <file>', 'the gateway\'s configuration file (topics, claimTakeoverMs)')
    .option('--brokers <list>', 'Kafka bootstrap brokers, comma-separated (overrides the configuration)')
    .action(async (clientId: string, correlId: string, options: TopicOptions) => {
      const resolved = await withOutcomes(options, io, async unknown => await unknown.resolve(clientId, correlId))
      if (!resolved) throw new SmsgwError(errorCodes.config, `no unknown outcome for correl-id ${JSON.stringify(correlId)} of client ${clientId}`)
    })
}

async function withOutcomes<T> (options: TopicOptions, io: ProgramIo, use: (outcomes: UnknownOutcomes) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: the other commands need none of it and start faster.
  const { loadConfig } = await import('../config/index.ts')
  const { withLedgerTopicOutcomes } = await import('../app/ledger-topic-outcomes.ts')
  const config = await loadConfig({
    file: options.config,
    env: io.env,
    overrides: options.brokers === undefined ? {} : { kafka: { brokers: options.brokers.split(',').map(broker => broker.trim()) } }
  })
  return await withLedgerTopicOutcomes(config, use)
}
