import { PlatformFailure, type PlatformFailureKind } from './platform-adapter.ts'

// Telegram's RPC errors (what GramJS throws: an RPCError whose errorMessage is Telegram's own
// name, FloodWaitError with `seconds` for FLOOD_WAIT_n) as PlatformFailures. The texts are
// Telethon's for the same errors, which upstream's telegram-pnba-adapter hands the app (without
// Telethon's "(caused by ...)" tail, which names the internal request).

interface TelegramErrorRow { readonly kind: PlatformFailureKind, readonly message: string }

const TELEGRAM_ERRORS: Readonly<Record<string, TelegramErrorRow>> = Object.freeze({
  PHONE_CODE_INVALID: { kind: 'rejected', message: 'The phone code entered was invalid' },
  PHONE_CODE_EXPIRED: { kind: 'rejected', message: 'The confirmation code has expired' },
  PHONE_CODE_EMPTY: { kind: 'rejected', message: 'The phone code is missing' },
  PASSWORD_HASH_INVALID: { kind: 'rejected', message: 'The password (and thus its hash value) you entered is invalid' },
  PHONE_NUMBER_INVALID: { kind: 'rejected', message: 'The phone number is invalid' },
  PHONE_NUMBER_BANNED: { kind: 'rejected', message: 'The used phone number has been banned from Telegram and cannot be used anymore. Maybe check https://www.telegram.org/faq_spam' },
  PHONE_NUMBER_UNOCCUPIED: { kind: 'rejected', message: 'The phone number is not yet being used' },
  PEER_ID_INVALID: { kind: 'rejected', message: 'An invalid Peer was used. Make sure to pass the right peer type' },
  USERNAME_INVALID: { kind: 'rejected', message: 'Nobody is using this username, or the username is unacceptable' },
  USERNAME_NOT_OCCUPIED: { kind: 'rejected', message: 'The username is not in use by anyone else yet' },
  MESSAGE_TOO_LONG: { kind: 'rejected', message: 'Message was too long' },
  AUTH_KEY_UNREGISTERED: { kind: 'token-invalid', message: 'The key is not registered in the system' },
  SESSION_REVOKED: { kind: 'token-invalid', message: 'The authorization has been invalidated, because of the user terminating all sessions' },
  SESSION_EXPIRED: { kind: 'token-invalid', message: 'The authorization has expired' },
  USER_DEACTIVATED: { kind: 'token-invalid', message: 'The user has been deleted/deactivated' },
  USER_DEACTIVATED_BAN: { kind: 'token-invalid', message: 'The user has been deleted/deactivated' }
})

/**
 * The starts of the plain errors GramJS throws itself when it cannot resolve a recipient (a
 * username nobody has, a phone number not in the account's contacts, a group not joined):
 * client/users.js. Their full text names the recipient, so it is never passed on.
 */
const UNKNOWN_RECIPIENT_ERRORS: readonly string[] = [
  'Cannot find any entity corresponding to',
  'Could not find the input entity',
  'No user has',
  'Cannot get entity'
]
export const UNKNOWN_RECIPIENT_MESSAGE = 'Telegram knows no such recipient (a username, or a phone number among the account\'s contacts)'

/** What a GramJS call threw, as a PlatformFailure. Anything that is not a Telegram RPC error (a dropped connection, a timeout) is transient. */
export function failureOfTelegramError (error: unknown): PlatformFailure {
  if (error instanceof PlatformFailure) return error
  const { errorMessage, seconds, code } = (typeof error === 'object' && error !== null ? error : {}) as { errorMessage?: unknown, seconds?: unknown, code?: unknown }
  if (error instanceof Error && UNKNOWN_RECIPIENT_ERRORS.some(start => error.message.startsWith(start))) return new PlatformFailure('rejected', UNKNOWN_RECIPIENT_MESSAGE)
  if (typeof errorMessage !== 'string') return new PlatformFailure('transient', 'Telegram could not be reached')
  // GramJS names every FLOOD_WAIT_n (and FLOOD_PREMIUM_WAIT_n) 'FLOOD' and keeps n in `seconds`.
  if (typeof seconds === 'number') return new PlatformFailure('rate-limited', `A wait of ${seconds} seconds is required`, seconds * 1000)
  const row = TELEGRAM_ERRORS[errorMessage]
  if (row !== undefined) return new PlatformFailure(row.kind, row.message)
  // Telegram's own codes (core.telegram.org/api/errors): 420 flood, 5xx its internal failures.
  if (code === 420) return new PlatformFailure('rate-limited', 'Telegram is rate-limiting')
  if (typeof code === 'number' && code >= 500) return new PlatformFailure('transient', `Telegram failed (${errorMessage})`)
  if (code === 401) return new PlatformFailure('token-invalid', `Telegram refused the session (${errorMessage}); link the account again`)
  return new PlatformFailure('rejected', `Telegram refused the request (${errorMessage})`)
}

/** Telegram's name of an RPC error GramJS threw (`SESSION_PASSWORD_NEEDED`, ...), else undefined. */
export function telegramErrorName (error: unknown): string | undefined {
  const name = typeof error === 'object' && error !== null ? (error as { errorMessage?: unknown }).errorMessage : undefined
  return typeof name === 'string' ? name : undefined
}
