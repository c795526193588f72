import { createHash, randomBytes } from 'node:crypto'
import { Api, errors } from 'telegram'
import { returnBigInt as bigInt } from 'telegram/Helpers.js'
import { computeDigest } from 'telegram/Password.js'
import type { ConnectTelegram, TelegramSessionClient } from '../../../src/relay/platforms/telegram-adapter.ts'

// A TEST DOUBLE of GramJS's TelegramClient (the methods TelegramSessionClient names) over an
// in-memory Telegram. Telegram's MTProto cannot run locally (there is no Telegram server to run
// here), so the Telegram adapter is tested at its boundary with this double instead of the real
// client library. It answers as Telegram does where the adapter can tell: its errors are the
// ones GramJS itself throws (errors.RPCMessageToError over Telegram's error names), and the 2FA
// password is checked as Telegram's server checks it (the server side of the SRP exchange,
// core.telegram.org/api/srp), against what GramJS's computeCheck sent.

/** Telegram's 2048-bit SRP prime (core.telegram.org/api/srp), the one GramJS accepts, with g = 3. */
const SRP_PRIME_HEX = 'c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f642477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b'
const SRP_G = 3

interface Account { readonly password?: string }
interface SessionState { phone?: string, loggedOut: boolean, srp?: { readonly b: bigint, readonly B: bigint, readonly srpId: bigint } }
interface SentCode { readonly phone: string, readonly code: string, readonly session: string }

export interface SentMessage { readonly fromPhone: string, readonly to: string, readonly message: string }

export class TelegramDouble {
  readonly apiId: number
  readonly apiHash: string
  readonly sent: SentMessage[] = []
  readonly #accounts = new Map<string, Account>()
  readonly #sessions = new Map<string, SessionState>()
  readonly #codes = new Map<string, SentCode>()
  readonly #unknownRecipients = new Set<string>()
  /** Telegram error names the next calls throw, per GramJS method or TL request class name. */
  readonly #faults = new Map<string, string[]>()
  /** The recipients resolved, by the user id of their input peer. */
  readonly #peers: string[] = []
  /** The random_ids Telegram has taken, per sending account, with the answer of their message. */
  readonly #randomIds = new Map<string, unknown>()
  #loseNextAnswer = false
  #connects = 0
  #disconnects = 0

  constructor (apiId: number, apiHash: string) {
    this.apiId = apiId
    this.apiHash = apiHash
  }

  addAccount (phone: string, account: Account = {}): void {
    this.#accounts.set(phone, account)
  }

  /** A recipient GramJS cannot resolve (no such username, a number not among the contacts). */
  addUnknownRecipient (to: string): void {
    this.#unknownRecipients.add(to)
  }

  /** The next call of `method` ('sendCode', 'messages.SendMessage', 'auth.SignIn', ...) fails with Telegram's `errorMessage`. */
  failNext (method: string, errorMessage: string): void {
    this.#faults.set(method, [...this.#faults.get(method) ?? [], errorMessage])
  }

  /** The code Telegram sent to `phone` last (read off the phone's Telegram app). */
  codeSentTo (phone: string): string | undefined {
    return [...this.#codes.values()].findLast(sent => sent.phone === phone)?.code
  }

  /** The next message is sent, and its answer lost on the way back (GramJS then throws a plain error, as on a timeout). */
  loseNextAnswer (): void {
    this.#loseNextAnswer = true
  }

  expireCodes (): void {
    for (const [hash, sent] of this.#codes) this.#codes.set(hash, { ...sent, code: '' })
  }

  /** Every client connected was disconnected again. */
  get balanced (): boolean {
    return this.#connects === this.#disconnects
  }

  readonly connect: ConnectTelegram = async session => {
    if (session !== '' && !this.#sessions.has(session)) throw rpcError(401, 'AUTH_KEY_UNREGISTERED')
    const id = session === '' ? `session-${randomBytes(8).toString('hex')}` : session
    if (session === '') this.#sessions.set(id, { loggedOut: false })
    this.#connects++
    const client = {
      session: { save: () => id },
      disconnect: async () => { this.#disconnects++ },
      sendCode: async (credentials: { apiId: number, apiHash: string }, phone: string) => {
        this.#fault('sendCode')
        if (credentials.apiId !== this.apiId || credentials.apiHash !== this.apiHash) throw rpcError(400, 'API_ID_INVALID')
        const phoneCodeHash = randomBytes(8).toString('hex')
        this.#codes.set(phoneCodeHash, { phone, code: String(10000 + Math.floor(Math.random() * 90000)), session: id })
        return { phoneCodeHash, isCodeViaApp: true }
      },
      getInputEntity: async (to: string) => {
        this.#authorized(id)
        // GramJS's own error (client/users.js) when it cannot resolve the recipient.
        if (this.#unknownRecipients.has(to)) throw new Error(`Cannot find any entity corresponding to "${to}"`)
        const userId = this.#peers.push(to) - 1
        return new Api.InputPeerUser({ userId: bigInt(userId), accessHash: bigInt(0) })
      },
      invoke: async (request: unknown) => await this.#invoke(id, request)
    }
    // The double implements only what TelegramSessionClient names; GramJS's full types are not its business.
    return client as unknown as TelegramSessionClient
  }

  async #invoke (id: string, request: unknown): Promise<unknown> {
    const state = this.#sessions.get(id) as SessionState
    if (request instanceof Api.auth.SignIn) {
      this.#fault('auth.SignIn')
      const sent = this.#codes.get(request.phoneCodeHash)
      if (sent === undefined || sent.phone !== request.phoneNumber || sent.session !== id) throw rpcError(400, 'PHONE_CODE_HASH_EMPTY')
      if (sent.code === '') throw rpcError(400, 'PHONE_CODE_EXPIRED')
      if (sent.code !== request.phoneCode) throw rpcError(400, 'PHONE_CODE_INVALID')
      const account = this.#accounts.get(sent.phone)
      if (account === undefined) return new Api.auth.AuthorizationSignUpRequired({})
      state.phone = sent.phone
      if (account.password !== undefined) throw rpcError(401, 'SESSION_PASSWORD_NEEDED')
      return new Api.auth.Authorization({ user: new Api.UserEmpty({ id: bigInt(1) }) })
    }
    if (request instanceof Api.account.GetPassword) return await this.#passwordChallenge(state)
    if (request instanceof Api.auth.CheckPassword) {
      this.#fault('auth.CheckPassword')
      await this.#checkPassword(state, request.password as Api.InputCheckPasswordSRP)
      state.srp = undefined
      return new Api.auth.Authorization({ user: new Api.UserEmpty({ id: bigInt(1) }) })
    }
    if (request instanceof Api.messages.SendMessage) {
      this.#fault('messages.SendMessage')
      const state = this.#authorized(id)
      const randomId = `${state.phone as string} ${String(request.randomId)}`
      // Telegram answers a random_id the account has used with the message it made then, sending
      // nothing (core.telegram.org/api: RANDOM_ID_DUPLICATE only while that call is still running).
      if (this.#randomIds.has(randomId)) return this.#randomIds.get(randomId)
      const peer = request.peer as Api.InputPeerUser
      this.sent.push({ fromPhone: state.phone as string, to: this.#peers[Number(peer.userId.toString())] as string, message: request.message })
      const answer = new Api.UpdateShortSentMessage({ id: this.sent.length, pts: 0, ptsCount: 0, date: 0 })
      this.#randomIds.set(randomId, answer)
      if (this.#loseNextAnswer) {
        this.#loseNextAnswer = false
        throw new Error('TIMEOUT')
      }
      return answer
    }
    if (request instanceof Api.auth.LogOut) {
      this.#fault('auth.LogOut')
      this.#authorized(id)
      state.loggedOut = true
      return new Api.auth.LoggedOut({})
    }
    throw new Error(`the Telegram double does not answer ${String((request as { className?: string }).className)}`)
  }

  #authorized (id: string): SessionState {
    const state = this.#sessions.get(id)
    if (state?.phone === undefined || state.loggedOut || state.srp !== undefined) throw rpcError(401, 'AUTH_KEY_UNREGISTERED')
    return state
  }

  #fault (method: string): void {
    const errorMessage = this.#faults.get(method)?.shift()
    if (errorMessage === undefined) return
    const flood = /^FLOOD_WAIT_\d+$/.test(errorMessage)
    throw rpcError(flood ? 420 : errorMessage.startsWith('INTERNAL') || errorMessage === 'RANDOM_ID_DUPLICATE' ? 500 : 400, errorMessage)
  }

  async #passwordChallenge (state: SessionState): Promise<Api.account.Password> {
    const account = state.phone === undefined ? undefined : this.#accounts.get(state.phone)
    if (account?.password === undefined) throw rpcError(400, 'PASSWORD_EMPTY')
    const algo = algoOf(state.phone as string)
    const v = toBigInt(await computeDigest(algo, account.password))
    const p = BigInt(`0x${SRP_PRIME_HEX}`)
    const k = toBigInt(sha256(pad(p), pad(BigInt(SRP_G))))
    const b = toBigInt(randomBytes(256)) % p
    const B = (k * v + modPow(BigInt(SRP_G), b, p)) % p
    const srpId = toBigInt(randomBytes(7))
    state.srp = { b, B, srpId }
    return new Api.account.Password({ hasPassword: true, currentAlgo: algo, srp_B: pad(B), srpId: bigInt(srpId), newAlgo: new Api.PasswordKdfAlgoUnknown(), newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(), secureRandom: randomBytes(32) })
  }

  /** Telegram's server side of SRP: M1 must be what only the right password gives. */
  async #checkPassword (state: SessionState, check: Api.InputCheckPasswordSRP): Promise<void> {
    const account = this.#accounts.get(state.phone as string) as Account
    if (state.srp === undefined || BigInt(check.srpId.toString()) !== state.srp.srpId) throw rpcError(400, 'SRP_ID_INVALID')
    const algo = algoOf(state.phone as string)
    const p = BigInt(`0x${SRP_PRIME_HEX}`)
    const v = toBigInt(await computeDigest(algo, account.password as string))
    const A = toBigInt(check.A)
    const u = toBigInt(sha256(pad(A), pad(state.srp.B)))
    const S = modPow((A * modPow(v, u, p)) % p, state.srp.b, p)
    const hashP = sha256(pad(p))
    const hashG = sha256(pad(BigInt(SRP_G)))
    const expected = sha256(Buffer.from(hashP.map((byte, index) => byte ^ (hashG[index] as number))), sha256(algo.salt1), sha256(algo.salt2), pad(A), pad(state.srp.B), sha256(pad(S)))
    if (!expected.equals(check.M1)) throw rpcError(400, 'PASSWORD_HASH_INVALID')
  }
}

function algoOf (phone: string): Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow {
  // Salts fixed per account, as Telegram keeps them with the password.
  return new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
    salt1: sha256(Buffer.from(`salt1 ${phone}`)),
    salt2: sha256(Buffer.from(`salt2 ${phone}`)),
    g: SRP_G,
    p: Buffer.from(SRP_PRIME_HEX, 'hex')
  })
}

/** What GramJS throws for Telegram's RPC error `errorMessage`. */
function rpcError (errorCode: number, errorMessage: string): Error {
  return errors.RPCMessageToError(new Api.RpcError({ errorCode, errorMessage }), new Api.help.GetConfig())
}

function sha256 (...parts: Buffer[]): Buffer {
  return createHash('sha256').update(Buffer.concat(parts)).digest()
}

/** A number as SRP hashes it: 256 big-endian bytes. */
function pad (value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(512, '0'), 'hex')
}

function toBigInt (bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`)
}

function modPow (base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  let square = base % modulus
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if ((rest & 1n) === 1n) result = (result * square) % modulus
    square = (square * square) % modulus
  }
  return result
}
