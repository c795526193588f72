import { channel, tracingChannel } from 'node:diagnostics_channel'
import type { TracingChannelSubscribers } from 'node:diagnostics_channel'
import { diagnosticsChannels } from '../../gateway/diagnostics-channels.ts'
import type { GatewayMetrics } from './gateway-metrics.ts'

type Context = Record<string, unknown>
type Handlers = TracingChannelSubscribers<Context>

const ignore = (): void => {}

/** A complete set of tracing handlers (the typings want all five), ignoring the events not given. */
function handlers (given: Partial<Handlers>): Handlers {
  return { start: ignore, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore, ...given }
}

function text (context: unknown, field: string): string | undefined {
  const value = typeof context === 'object' && context !== null ? (context as Context)[field] : undefined
  return typeof value === 'string' ? value : undefined
}

/**
 * Subscribes `metrics` to every channel of diagnosticsChannels; returns a function that
 * unsubscribes. A message without the fields its channel promises is ignored.
 */
export function subscribeDiagnostics (metrics: GatewayMetrics): () => void {
  const request = tracingChannel<string, Context>(diagnosticsChannels.request)
  const open = tracingChannel<string, Context>(diagnosticsChannels.open)
  const submit = tracingChannel<string, Context>(diagnosticsChannels.submit)
  const receipt = channel(diagnosticsChannels.receipt)
  const final = channel(diagnosticsChannels.final)
  const onFinal = (message: unknown): void => {
    const seconds = typeof message === 'object' && message !== null ? (message as Context).seconds : undefined
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) metrics.endToEnd(seconds)
  }
  const requestHandlers = handlers({ start: () => { metrics.requestIn() } })
  const openHandlers = handlers({
    error: context => {
      const clientId = text(context, 'clientId')
      if (clientId !== undefined) metrics.decryptFailure(clientId)
    }
  })
  const submitHandlers = handlers({
    start: context => {
      const connection = text(context, 'connection')
      if (connection !== undefined) metrics.submit(connection)
    },
    // tracePromise publishes asyncEnd after both a resolve and a reject. A rejection counts as a
    // response only when the SMSC answered, that is when the error carries its command_status;
    // a timeout or a lost session is no response.
    asyncEnd: context => {
      const connection = text(context, 'connection')
      if (connection === undefined) return
      const error = context.error
      if (error === undefined) metrics.response(connection, 0)
      else {
        const commandStatus = typeof error === 'object' && error !== null ? (error as Context).commandStatus : undefined
        if (typeof commandStatus === 'number') metrics.response(connection, commandStatus)
      }
    }
  })
  const onReceipt = (message: unknown): void => {
    const connection = text(message, 'connection')
    const state = text(message, 'state')
    if (connection !== undefined && state !== undefined) metrics.receipt(connection, state)
  }
  request.subscribe(requestHandlers)
  open.subscribe(openHandlers)
  submit.subscribe(submitHandlers)
  receipt.subscribe(onReceipt)
  final.subscribe(onFinal)
  return () => {
    final.unsubscribe(onFinal)
    request.unsubscribe(requestHandlers)
    open.unsubscribe(openHandlers)
    submit.unsubscribe(submitHandlers)
    receipt.unsubscribe(onReceipt)
  }
}
