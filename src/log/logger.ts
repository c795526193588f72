import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino'

export type Logger = PinoLogger
export const allowedLogLevels = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = typeof allowedLogLevels[number]

// The code never hands plaintext to the logger; these paths are the second line of defence,
// should a decrypted message or its parts ever reach a log call by mistake.
export const REDACTED_PATHS = [
  'to', 'body', 'sender', 'text', 'plaintext', 'message', 'sms', 'headers',
  '*.to', '*.body', '*.sender', '*.text', '*.plaintext', '*.sms', '*.headers'
]

/** Structured JSON logs on stdout (or `destination`, for tests), with redaction. */
export function createLogger (options: { level: LogLevel, destination?: DestinationStream }): Logger {
  return pino({
    level: options.level,
    base: { service: 'smsgw' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: label => ({ level: label }) }
  }, options.destination ?? pino.destination({ fd: 1, sync: false }))
}
