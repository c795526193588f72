import { channel, tracingChannel } from 'node:diagnostics_channel'
import { errorCodes, isSmsgwError, SmsgwError } from '../errors.ts'
import type { Logger } from '../log/logger.ts'
import { diagnosticsChannels } from './diagnostics-channels.ts'
import type { Backend, StatusReport } from './backends/backend.ts'
import type { HandledRequest } from './gateway.ts'
import { InFlightLimit } from './in-flight-limit.ts'
import { encodeLedgerSource, ledgerKey, type LedgerSource } from '../domain/ledger-record.ts'
import type { RequestLedger } from './ledger/request-ledger.ts'
import type { PayloadOpener } from './opener/payload-opener.ts'
import type { IncomingRequest } from './request-source.ts'
import { isPastDeadline } from './stages/deadline.ts'
import { parseSendRequest } from './stages/parse-request.ts'
import { routeRequest, type RouteRule } from './stages/route.ts'
import { validateRequest } from './stages/validate-request.ts'
import { validateSms } from './stages/validate-sms.ts'
import { reportDurably } from './status/durable-report.ts'
import { isFinalStatus, smsStatuses } from '../domain/status-event.ts'
import type { StatusSink } from './status/status-sink.ts'

export interface PipelineOptions {
  allowedClients: ReadonlySet<string>
  opener: PayloadOpener
  backends: ReadonlyMap<string, Backend>
  routes: readonly RouteRule[]
  defaultBackend: string
  ledger: RequestLedger
  sink: StatusSink
  log: Logger
  now?: () => Date
  /** Aborts waits (ledger, status retries) on shutdown. */
  signal?: AbortSignal
}

/**
 * The outbound pipeline as one function: parse -> validate -> open -> validate SMS -> route ->
 * backend checks -> claim -> submit, with every status through the one sink. Plaintext exists
 * between `open` and `submit` only, in local variables; nothing here logs it.
 */
// Tracing channels (STYLE: diagnostics_channel; the metrics subscribe): contexts hold ids only.
const requestChannel = tracingChannel<string, Record<string, unknown>>(diagnosticsChannels.request)
const openChannel = tracingChannel<string, Record<string, unknown>>(diagnosticsChannels.open)
const finalChannel = channel(diagnosticsChannels.final)

export function createPipeline (options: PipelineOptions): (request: IncomingRequest) => Promise<HandledRequest> {
  const { log, sink, ledger, signal } = options
  const now = options.now ?? (() => new Date())
  const replayableInFlight = new Set<string>()
  const handOvers = new Map<Backend, InFlightLimit>()
  for (const backend of options.backends.values()) if (backend.handOvers !== undefined) handOvers.set(backend, new InFlightLimit(backend.handOvers))

  return async function handleRequest (request: IncomingRequest): Promise<HandledRequest> {
    const ledgerSource = { stream: request.stream, offset: request.offset }
    return await requestChannel.tracePromise(async () => await handle(request.value, ledgerSource), { operationId: encodeLedgerSource(ledgerSource) })
  }

  async function handle (value: Buffer, ledgerSource: LedgerSource): Promise<HandledRequest> {
    // The source as logs and trace contexts name it.
    const source = encodeLedgerSource(ledgerSource)
    const parsed = parseSendRequest(value)
    if (parsed.kind === 'rejected') {
      // Spec §5 rows 1-3: no one to address a status to.
      log.warn({ source, reason: parsed.reason }, 'request dropped')
      return {}
    }
    const { clientId, correlId } = parsed.request
    const takenInAtMs = Date.now()
    const report = async (status: StatusReport): Promise<void> => {
      await reportDurably(sink, { clientId, correlId, timestamp: now(), ...status }, log, signal)
      if (isFinalStatus(status.status) && finalChannel.hasSubscribers) finalChannel.publish({ seconds: (Date.now() - takenInAtMs) / 1000 })
    }

    const checked = validateRequest(parsed.request, { allowedClients: options.allowedClients, now: now() })
    if (checked.kind === 'status') return await finish(report, checked)
    const opened = await options.opener.open(clientId, checked.payload)
    if (opened.kind === 'status') {
      if (openChannel.hasSubscribers) openChannel.error.publish({ operationId: source, clientId, error: opened.errorText })
      return await finish(report, opened)
    }
    const valid = validateSms(opened.sms)
    if (valid.kind === 'status') return await finish(report, valid)

    const backendName = routeRequest({ clientId, to: valid.message.to }, options.routes, options.defaultBackend)
    const backend = options.backends.get(backendName)
    if (backend === undefined) throw new SmsgwError(errorCodes.config, `route names backend '${backendName}', which is not configured`)
    const accepted = backend.check(valid.message)
    if (accepted.kind === 'status') return await finish(report, accepted)
    // Opening on a busy worker takes time: check the deadline again before handing it over.
    if (isPastDeadline(checked.deadline, now())) return await finish(report, { status: smsStatuses.expired })

    const key = ledgerKey(clientId, correlId)
    const submission = { clientId, correlId, deadline: checked.deadline, message: accepted.message, takenInAtMs }
    if (backend.replayable) {
      // A replayable backend has no effect outside the gateway, so a second hand-over after a
      // crash or rebalance harms nothing and the ledger's Kafka round trips buy nothing. A
      // duplicate sent while the first is in flight is still caught, in this instance.
      if (replayableInFlight.has(key)) {
        log.info({ source, clientId, correlId }, 'same request already in flight; not submitted again')
        return {}
      }
      replayableInFlight.add(key)
      try {
        await backend.submit(submission, report)
      } finally {
        replayableInFlight.delete(key)
      }
      return {}
    }
    // Claimed only once the backend can take it soon: a crash then leaves few claims behind.
    const gate = handOvers.get(backend)
    let holdsSlot = false
    const takeSlot = async (): Promise<void> => {
      if (gate === undefined || holdsSlot) return
      await gate.acquire(signal)
      holdsSlot = true
    }
    const giveSlotBack = (): void => {
      if (!holdsSlot) return
      holdsSlot = false
      gate?.release()
    }
    try {
      const claim = await ledger.claim(key, ledgerSource, { ...(signal === undefined ? {} : { signal }), beforeClaim: takeSlot, beforeWait: giveSlotBack })
      if (claim.kind === 'completed') {
        log.info({ source, clientId, correlId }, 'request already handled; not submitted again')
        return { ledgerKey: key }
      }
      if (claim.kind === 'abandoned') {
        // Spec §7: the earlier attempt may have reached the SMSC; at most once wins. The entry
        // is kept (not forgotten after the commit): it is the unknown outcome operators list.
        log.warn({ source, clientId, correlId, backend: backend.name }, 'request claimed by an attempt that may have written it and did not finish; outcome unknown, no status, listed for operators')
        return {}
      }
      if (claim.tookOver) log.warn({ source, clientId, correlId, backend: backend.name }, 'request claimed by an attempt that never wrote it; sending it')
      let marked = false
      let reported = false
      const markWriting = async (): Promise<void> => {
        if (marked) return
        await ledger.markWriting(key, claim.claim, ledgerSource)
        marked = true
      }
      try {
        await backend.submit({ ...submission, markWriting }, async status => {
          reported = true
          await report(status)
        })
      } catch (error) {
        if (!isSmsgwError(error, errorCodes.ledgerFenced)) throw error
        // Another attempt took the claim over while this one waited for the SMSC: it sends the
        // request and owns its ledger entry (so this one does not forget it after the commit).
        log.warn({ source, clientId, correlId, backend: backend.name }, 'request taken over by another attempt before it was written; not sent here')
        return {}
      }
      if (marked && !reported) {
        // Written and never answered (spec §7): no status, and the entry stays `writing`, listed
        // as an unknown outcome for operators, instead of being completed and forgotten.
        log.warn({ source, clientId, correlId, backend: backend.name }, 'request written and never answered; outcome unknown, listed for operators')
        return {}
      }
      await ledger.complete(key, claim.claim.token, ledgerSource)
    } finally {
      giveSlotBack()
    }
    log.debug({ source, clientId, correlId, backend: backend.name }, 'request handled')
    return { ledgerKey: key }
  }
}

async function finish (report: (status: StatusReport) => Promise<void>, verdict: StatusReport): Promise<HandledRequest> {
  await report(verdict.errorText === undefined ? { status: verdict.status } : { status: verdict.status, errorText: verdict.errorText })
  return {}
}
