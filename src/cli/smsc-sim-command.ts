import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { SmsgwError, errorCodes } from '../errors.ts'
import type { ProgramIo } from './program-io.ts'
import { onStopSignals } from './stop-signals.ts'
import { wholeNumber } from './whole-number-option.ts'

// Not imported from the simulator's index, which would load the simulator for every command.
const ID_FORMATS = ['decimal', 'hex', 'zero-padded'] as const
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const

interface SmscSimOptions {
  host: string
  port: string
  systemId?: string[]
  password?: string[]
  accounts?: string
  idFormat: string
  receiptIdFormat?: string
  firstMessageId: string
  receiptDelayMs: string
  rules?: string
  receiptBeforeResponse?: boolean
  resendReceiptsMs: string
  controlPort?: string
  logLevel: string
}

/**
 * `smsgw smsc-sim`: an SMPP 3.4 SMSC simulator (src/smpp/simulator/) on a TCP port, logging
 * binds, submits and receipts as JSON lines on stdout, until SIGTERM or SIGINT.
 */
export function addSmscSimCommand (program: Command, io: ProgramIo): void {
  program.command('smsc-sim')
    .description('run an SMPP 3.4 SMSC simulator for development, tests and demos, until SIGTERM or SIGINT')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'TCP port; 0 picks a free one (see the "listening" log line)', '2775')
    .option('--system-id <id>', 'an account\'s system_id; repeat it with --password for more accounts (default smsgw)', collect)
    .option('--password <password>', 'the password of the --system-id in the same position (default secret)', collect)
    .option('--accounts <file>', 'JSON file of accounts: [{ "systemId": …, "password": …, "maxBinds": … }]')
    .option('--id-format <format>', `message ids in submit_sm_resp: ${ID_FORMATS.join(', ')}`, 'decimal')
    .option('--receipt-id-format <format>', 'message ids in receipts (default: as --id-format)')
    .option('--first-message-id <n>', 'the number of the first message id', '1')
    .option('--receipt-delay-ms <ms>', 'receipt delay when no rule gives one', '100')
    .option('--rules <file>', 'JSON file of receipt rules, first match wins (docs/smsc-simulator.md)')
    .option('--receipt-before-response', 'send each receipt at once, before its submit_sm_resp')
    .option('--resend-receipts-ms <ms>', 'after a bind, also send again the receipts acknowledged in the last <ms> (as an SMSC that lost the acknowledgement)', '0')
    .option('--control-port <port>', 'also serve POST /mo on this HTTP port (same --host; 0 picks a free one): an MO injected from another process (docs/smsc-simulator.md)')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .action(async (options: SmscSimOptions) => {
      // Usage mistakes first, before any file is read or port opened.
      const idFormat = choice('--id-format', options.idFormat, ID_FORMATS)
      const receiptIdFormat = options.receiptIdFormat === undefined ? idFormat : choice('--receipt-id-format', options.receiptIdFormat, ID_FORMATS)
      const logLevel = choice('--log-level', options.logLevel, LOG_LEVELS)
      const port = wholeNumber('--port', options.port, 65535)
      const firstMessageId = wholeNumber('--first-message-id', options.firstMessageId, Number.MAX_SAFE_INTEGER)
      const receiptDelayMs = wholeNumber('--receipt-delay-ms', options.receiptDelayMs, Number.MAX_SAFE_INTEGER)
      const resendAnsweredReceiptsMs = wholeNumber('--resend-receipts-ms', options.resendReceiptsMs, Number.MAX_SAFE_INTEGER)
      const controlPort = options.controlPort === undefined ? undefined : wholeNumber('--control-port', options.controlPort, 65535)
      const inlineAccounts = accountsOf(options.systemId ?? [], options.password ?? [])
      if (options.accounts !== undefined && inlineAccounts !== undefined) {
        throw new SmsgwError(errorCodes.usage, '--accounts and --system-id/--password exclude each other: give the accounts one way')
      }
      const { parseAccounts, parseReceiptRules, SmscSimulator, logSimulatorEvents, startMoControl } = await import('../smpp/simulator/index.ts')
      const { createLogger } = await import('../log/logger.ts')
      const accounts = options.accounts === undefined ? inlineAccounts : parseAccounts(await readJson(options.accounts, 'accounts'))
      const rules = options.rules === undefined ? [] : parseReceiptRules(await readJson(options.rules, 'rules'))
      const log = createLogger({ level: logLevel })
      const simulator = await SmscSimulator.start({
        host: options.host,
        port,
        ...(accounts === undefined ? {} : { accounts }),
        idFormat,
        receiptIdFormat,
        firstMessageId,
        receiptDelayMs,
        rules,
        faults: { receiptBeforeResponse: options.receiptBeforeResponse === true },
        resendAnsweredReceiptsMs,
        // A long run keeps no message records: the log is its output.
        retainSubmitted: 0
      })
      logSimulatorEvents(simulator, log)
      log.info({ event: 'listening', host: simulator.address.address, port: simulator.address.port }, 'SMSC simulator listening')
      const control = controlPort === undefined
        ? undefined
        : await startMoControl(simulator, { host: options.host, port: controlPort }).catch(async (error: unknown) => {
          await simulator.close()
          throw error
        })
      if (control !== undefined) log.info({ event: 'control-listening', url: control.url }, 'SMSC simulator control port listening (POST /mo)')
      // A second signal means "now"; the copy of one Ctrl-C that a parent forwards does not.
      const stopping = Promise.withResolvers<NodeJS.Signals>()
      const signals = onStopSignals(io, stopping.resolve)
      const signal = await stopping.promise
      log.info({ event: 'stopping', signal }, 'stopping')
      await control?.close()
      await simulator.close()
      log.info({ event: 'stopped' }, 'SMSC simulator stopped')
      log.flush()
      await signals.graceOver()
    })
}

function collect (value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

// --system-id and --password pair up by position; with neither, the simulator's default account.
function accountsOf (systemIds: readonly string[], passwords: readonly string[]): Array<{ systemId: string, password: string }> | undefined {
  if (systemIds.length === 0 && passwords.length === 0) return undefined
  if (systemIds.length === 0 && passwords.length === 1) return [{ systemId: 'smsgw', password: passwords[0] as string }]
  if (passwords.length === 0 && systemIds.length === 1) return [{ systemId: systemIds[0] as string, password: 'secret' }]
  if (systemIds.length !== passwords.length) {
    throw new SmsgwError(errorCodes.usage, `${systemIds.length} --system-id but ${passwords.length} --password: give one --password per --system-id`)
  }
  return systemIds.map((systemId, index) => ({ systemId, password: passwords[index] as string }))
}

function choice<T extends string> (option: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new SmsgwError(errorCodes.usage, `unknown ${option} '${value}': use ${allowed.join(' or ')}`)
  return value as T
}

async function readJson (file: string, what: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new SmsgwError(errorCodes.config, `cannot read the ${what} file ${file}`, { cause })
  })
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new SmsgwError(errorCodes.config, `the ${what} file ${file} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}
