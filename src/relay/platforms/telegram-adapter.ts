import { Api, type TelegramClient } from 'telegram'
import { MarkdownParser } from 'telegram/extensions/markdown.js'
import { generateRandomBigInt, returnBigInt } from 'telegram/Helpers.js'
import { computeCheck } from 'telegram/Password.js'
import type { MessageContent } from '../payload/content.ts'
import { PlatformFailure, type PnbaAdapter, type PlatformToken } from './platform-adapter.ts'
import { randomIdOf } from './publish-idempotency.ts'
import { failureOfTelegramError, telegramErrorName } from './telegram-failure.ts'

// Telegram links by phone number (PNBA, relay.md §6) over MTProto with GramJS. Upstream's
// telegram-pnba-adapter (Telethon) keeps a session file per phone number on the adapter's disk
// and stores only the number as the token; ours keeps no file: the token is the whole session
// (GramJS's StringSession: the auth key and data centre), which the publisher stores sealed
// through the vault like any OAuth2 token. Between the code and the sign-in (and the 2FA
// password after it) the half-made session waits here, in memory, bounded and short-lived:
// Telegram ties the phone code hash to the auth key that asked for the code.
//
// MTProto cannot run locally (no Telegram test server here), so this adapter is tested at its
// boundary: the GramJS client comes from `connect`, and the tests hand it a test double of the
// client's methods (docs/relay.md, "Platforms"). A message's random_id, Telegram's key of a sent
// message, is the publication's (publish-idempotency.ts).

/** The GramJS client methods the adapter uses; the real TelegramClient has them. */
export type TelegramSessionClient = Pick<TelegramClient, 'sendCode' | 'invoke' | 'getInputEntity' | 'disconnect' | 'session'>

/** Opens a connected client on a saved session ('' for a new one). */
export type ConnectTelegram = (session: string) => Promise<TelegramSessionClient>

export interface TelegramAdapterOptions {
  readonly apiId: number
  readonly apiHash: string
  readonly connect: ConnectTelegram
  /** Ours: how long a sent code may wait for its sign-in (Telegram's codes expire within minutes). */
  readonly pendingLoginTtlMs?: number
  /** Ours: logins waiting at once; the oldest gives way. */
  readonly maxPendingLogins?: number
}

/** Upstream's text for a sent code (send_authorization_code). */
export const CODE_SENT_MESSAGE = 'Authorization code sent.'
export const NO_PENDING_LOGIN_MESSAGE = 'No login code was requested for this phone number, or it has expired; request a new code.'

const DEFAULT_PENDING_LOGIN_TTL_MS = 15 * 60_000
const DEFAULT_MAX_PENDING_LOGINS = 10_000

interface PendingLogin {
  /** The session that asked for the code, saved after each step. */
  session: string
  readonly phoneCodeHash: string
  /** SESSION_PASSWORD_NEEDED came back: the code is accepted, the 2FA password is next. */
  passwordNeeded: boolean
  readonly expiresAtMs: number
}

export function telegramAdapter (options: TelegramAdapterOptions): PnbaAdapter {
  const ttlMs = options.pendingLoginTtlMs ?? DEFAULT_PENDING_LOGIN_TTL_MS
  const maxPending = options.maxPendingLogins ?? DEFAULT_MAX_PENDING_LOGINS
  const pending = new Map<string, PendingLogin>()

  function pendingLoginOf (phoneNumber: string): PendingLogin {
    const login = pending.get(phoneNumber)
    if (login === undefined || login.expiresAtMs <= Date.now()) {
      pending.delete(phoneNumber)
      throw new PlatformFailure('rejected', NO_PENDING_LOGIN_MESSAGE)
    }
    return login
  }

  async function withClient<T> (session: string, call: (client: TelegramSessionClient) => Promise<T>): Promise<T> {
    let client: TelegramSessionClient
    try {
      client = await options.connect(session)
    } catch (error) {
      throw failureOfTelegramError(error)
    }
    try {
      return await call(client)
    } finally {
      await client.disconnect().catch(() => undefined)
    }
  }

  async function checkPassword (client: TelegramSessionClient, password: string): Promise<void> {
    // The SRP exchange of Telegram's cloud password (core.telegram.org/api/srp), as GramJS's signInWithPassword does it.
    const srp = await client.invoke(new Api.account.GetPassword())
    await client.invoke(new Api.auth.CheckPassword({ password: await computeCheck(srp, password) }))
  }

  return {
    protocol: 'pnba',

    async requestCode (phoneNumber) {
      return await withClient('', async client => {
        try {
          const { phoneCodeHash } = await client.sendCode({ apiId: options.apiId, apiHash: options.apiHash }, phoneNumber)
          pending.delete(phoneNumber)
          if (pending.size >= maxPending) pending.delete(pending.keys().next().value as string)
          pending.set(phoneNumber, { session: saved(client), phoneCodeHash, passwordNeeded: false, expiresAtMs: Date.now() + ttlMs })
          return { message: CODE_SENT_MESSAGE }
        } catch (error) {
          throw failureOfTelegramError(error)
        }
      })
    },

    async exchangeCode ({ phoneNumber, code, password }) {
      const login = pendingLoginOf(phoneNumber)
      return await withClient(login.session, async client => {
        try {
          if (!login.passwordNeeded) {
            try {
              const signedIn = await client.invoke(new Api.auth.SignIn({ phoneNumber, phoneCodeHash: login.phoneCodeHash, phoneCode: code }))
              if (signedIn instanceof Api.auth.AuthorizationSignUpRequired) {
                pending.delete(phoneNumber)
                throw new PlatformFailure('rejected', 'This phone number has no Telegram account yet; sign up in a Telegram app first')
              }
            } catch (error) {
              // Telegram's answer for an account whose cloud password (2FA) must follow the code.
              if (telegramErrorName(error) !== 'SESSION_PASSWORD_NEEDED') throw error
              login.passwordNeeded = true
              login.session = saved(client)
            }
          }
          if (login.passwordNeeded) {
            if (password === undefined || password === '') return { twoStepVerificationRequired: true } as const
            await checkPassword(client, password)
          }
          pending.delete(phoneNumber)
          // Upstream's account identifier is the phone number the user linked.
          return { token: { session: saved(client) }, accountIdentifier: phoneNumber }
        } catch (error) {
          // An expired code cannot be retried: the user asks for a new one.
          if (telegramErrorName(error) === 'PHONE_CODE_EXPIRED') pending.delete(phoneNumber)
          throw failureOfTelegramError(error)
        }
      })
    },

    async publish (token, content: MessageContent, idempotency) {
      if (content.serviceType !== 'message') throw new PlatformFailure('rejected', 'Telegram publishes message content only')
      await withClient(sessionOf(token), async client => {
        try {
          // What GramJS's sendMessage sends (the recipient resolved, the text parsed as its
          // default Markdown), with the publication's random_id instead of a random one: Telegram
          // answers a random_id the account has used with the message made then, so a retry after
          // a lost answer sends nothing twice.
          const [message, entities] = MarkdownParser.parse(content.body)
          const randomId = idempotency === undefined ? generateRandomBigInt() : returnBigInt(randomIdOf(idempotency, 0))
          await client.invoke(new Api.messages.SendMessage({ peer: await client.getInputEntity(content.to), message, entities, randomId }))
        } catch (error) {
          // Telegram's answer to a repeat while the first call is still running: that call sends it.
          if (idempotency !== undefined && telegramErrorName(error) === 'RANDOM_ID_DUPLICATE') return
          throw failureOfTelegramError(error)
        }
      })
      return {}
    },

    async revoke (token) {
      await withClient(sessionOf(token), async client => {
        try {
          await client.invoke(new Api.auth.LogOut())
        } catch (error) {
          throw failureOfTelegramError(error)
        }
      })
    }
  }
}

function saved (client: TelegramSessionClient): string {
  const session = client.session.save()
  if (typeof session !== 'string' || session === '') throw new PlatformFailure('transient', 'Telegram gave no session to keep')
  return session
}

function sessionOf (token: PlatformToken): string {
  if (typeof token.session !== 'string' || token.session === '') throw new PlatformFailure('token-invalid', 'The stored Telegram session is missing; link the account again')
  return token.session
}
