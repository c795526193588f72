import { Type, type Static } from 'typebox'
import { allowedSmsStatuses, encodeStatusEvent, type StatusEvent } from '../../domain/status-event.ts'

// The status JSON of spec §4, as on `sms-status`, described for OpenAPI. The properties are
// listed in the contract's order, which is also the order the response serialiser writes them in.

export const StatusSchema = Type.Object({
  'client-id': Type.String(),
  'correl-id': Type.String(),
  timestamp: Type.String({ description: 'UTC, whole seconds, Z', examples: ['2026-11-21T10:00:00Z'] }),
  'sms-status': Type.String({ enum: [...allowedSmsStatuses] }),
  'recall-id': Type.Optional(Type.String({ description: 'the SMSC\'s message id, once it accepted the message' })),
  'error-text': Type.Optional(Type.String({ description: 'the contract\'s error text' }))
}, { description: 'A status, as on the sms-status topic (spec §4)' })

export type StatusJson = Static<typeof StatusSchema>

/** The status JSON of `event` as an object; encodeStatusEvent is the one place that knows the fields. */
export function statusJsonOf (event: StatusEvent): StatusJson {
  return JSON.parse(encodeStatusEvent(event)) as StatusJson
}
