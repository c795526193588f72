import type { StatusEvent } from '../../domain/status-event.ts'
import { formatTimestamp } from '../../domain/timestamp.ts'

// The per-client log (spec §9): one line per produced status, appended to <dir>/<client-id>.log,
//   timestamp TAB client-id TAB correl-id TAB sms-status TAB recall-id TAB error-text LF
// with empty fields where the status has none, as the older gateway's SmsStatusResponse.asTsv.

// A tab would shift the columns, a CR or LF would start a new line; both read as a space.
const LINE_BREAKING = /[\t\n\r]/g

const oneField = (value: string | undefined): string => (value ?? '').replace(LINE_BREAKING, ' ')

/** The client-log line of `event`, ending in `\n`; the timestamp as on `sms-status`. */
export function formatClientLogLine (event: StatusEvent): string {
  const { clientId, correlId, status, recallId, errorText } = event
  const fields = [formatTimestamp(event.timestamp), clientId, correlId, status, recallId, errorText]
  return `${fields.map(oneField).join('\t')}\n`
}
