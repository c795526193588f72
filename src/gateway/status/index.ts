export { formatClientLogLine } from './client-log-line.ts'
export { clientLogFileName, MAX_FILE_NAME_BYTES } from './client-log-name.ts'
