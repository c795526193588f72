/**
 * The names of the diagnostics channels the pipeline publishes on (STYLE: tracing uses
 * diagnostics_channel; the metrics subscribe, http/observability/diagnostics.ts). Contexts hold
 * ids, never a recipient or a body. Shapes are in docs/observability.md.
 */
export const diagnosticsChannels = {
  /** Tracing channel; context `{ operationId }`. Its start counts a request taken in. */
  request: 'smsgw:gateway:request',
  /** Tracing channel; context `{ operationId, clientId }`. Its error counts a payload that could not be opened. */
  open: 'smsgw:gateway:open',
  /** Tracing channel; context `{ operationId, connection }`. Start counts a submit_sm, asyncEnd its response. */
  submit: 'smsgw:smpp:submit',
  /** Plain channel; message `{ connection, state }` per delivery receipt, `state` its `stat`. */
  receipt: 'smsgw:smpp:receipt',
  /** Plain channel; message `{ seconds }` per final status: from taking the request in to it. */
  final: 'smsgw:gateway:final'
} as const
