import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino'
import type { LogLevel } from './log-levels.ts'
import { REDACTED, redactSecrets } from './secret-redaction.ts'

export type Logger = PinoLogger

// The code never hands plaintext to the logger; these paths are the second line of defence,
// should a decrypted message or its parts ever reach a log call by mistake.
export const REDACTED_PATHS = [
  'to', 'body', 'sender', 'text', 'plaintext', 'message', 'sms', 'headers',
  '*.to', '*.body', '*.sender', '*.text', '*.plaintext', '*.sms', '*.headers'
]

// Credentials, should a header or a key ever be logged as a field of its own.
const SECRET_PATHS = [
  'authorization', 'cookie', '["set-cookie"]', '["x-api-key"]', 'apiKey', 'password', 'secret',
  '*.authorization', '*.cookie', '*["set-cookie"]', '*["x-api-key"]', '*.apiKey', '*.password', '*.secret'
]

// URLs keep their path and harmless parameters; only secret-looking parameters are cut out (secret-redaction.ts).
const URL_PATHS = ['url', '*.url']

/** Structured JSON logs on stdout (or `destination`, for tests), with redaction. */
export function createLogger (options: { level: LogLevel, destination?: DestinationStream }): Logger {
  return pino({
    level: options.level,
    base: { service: 'smsgw' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [...REDACTED_PATHS, ...SECRET_PATHS, ...URL_PATHS],
      censor: (value: unknown, path: string[]) => path.at(-1) === 'url' && typeof value === 'string' ? redactSecrets(value) : REDACTED
    },
    serializers: {
      // An error's message and stack may quote a URL (Fastify's "Reply was already sent … in the <url> route").
      err: (error: unknown) => {
        // pino's serializer leaves what is not an Error (undefined, a plain object) as it is.
        const serialized: unknown = pino.stdSerializers.err(error as Error)
        if (typeof serialized !== 'object' || serialized === null) return serialized
        const { message, stack } = serialized as { message?: unknown, stack?: unknown }
        return {
          ...serialized,
          ...(typeof message === 'string' ? { message: redactSecrets(message) } : {}),
          ...(typeof stack === 'string' ? { stack: redactSecrets(stack) } : {})
        }
      }
    },
    hooks: {
      // Message strings too: Fastify logs `Route GET:<url> not found` with the query in it.
      logMethod (args, method) {
        method.apply(this, args.map(arg => typeof arg === 'string' ? redactSecrets(arg) : arg) as Parameters<typeof method>)
      }
    },
    formatters: { level: label => ({ level: label }) }
  }, options.destination ?? pino.destination({ fd: 1, sync: false }))
}
