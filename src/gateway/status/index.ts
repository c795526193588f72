export {
  allowedSmsStatuses,
  decodeStatusEvent,
  encodeStatusEvent,
  isFinalStatus,
  isSmsStatus,
  smsStatuses,
  statusKey
} from './status-event.ts'
export type { SmsStatus, StatusEvent } from './status-event.ts'
export { formatClientLogLine } from './client-log-line.ts'
export { clientLogFileName, MAX_FILE_NAME_BYTES } from './client-log-name.ts'
export { formatTimestamp, parseTimestamp } from './timestamp.ts'
