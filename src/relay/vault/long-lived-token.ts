import { CompactSign, jwtVerify } from 'jose'
import { errorCodes } from '../../errors.ts'
import { ENTITY_ID_PATTERN } from '../../store/relay-accounts.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { fernetDecrypt, fernetEncrypt } from './fernet.ts'

// The long-lived token (LLT) of relay.md §2 and relay-wire.md §1, as upstream Vault
// src/long_lived_token.py makes it: a JWT (HS256, key = the 32-byte device secret) with claims
// eid, iss, iat and exp = iat + 3650 days; the text "<eid>:<jwt>" Fernet-encrypted under
// base64url(device secret); that token base64-encoded once more is what the app receives. The app
// sends "<eid>:<jwt>" back in later requests. Upstream's Fernet key is the text base64url(device
// secret) (convert_to_fernet_key), which Fernet decodes back to the secret: fernet.ts takes the
// 32 raw bytes.

export const LLT_ISSUER = 'https://smswithoutborders.com'
export const LLT_LIFETIME_SECONDS = 3650 * 24 * 60 * 60
/** Ours: an eid (32) + ':' + a JWT of these claims is about 250 characters. */
export const MAX_LLT_CHARS = 1024

export interface IssuedToken {
  /** "<eid>:<jwt>": what the app sends back as long_lived_token. */
  readonly plain: string
  /** base64(Fernet token): the long_lived_token field of the Create/Authenticate responses. */
  readonly response: string
}

export interface IssueOptions {
  /** Seconds since the epoch for iat and the Fernet timestamp; now by default. */
  readonly nowSeconds?: number
  /** The Fernet IV; random by default. Pinned by tests to reproduce upstream tokens. */
  readonly fernetIv?: Buffer
}

export async function issueLongLivedToken (eid: string, deviceSecret: Buffer, options: IssueOptions = {}): Promise<IssuedToken> {
  const iat = options.nowSeconds ?? Math.floor(Date.now() / 1000)
  // The JSON texts upstream's `jwt` library signs (Python json.dumps spacing, this key order), so
  // that our token is byte for byte the upstream one; verifiers parse JSON and do not care.
  const claims = `{"eid": ${JSON.stringify(eid)}, "iss": ${JSON.stringify(LLT_ISSUER)}, "iat": ${iat}, "exp": ${iat + LLT_LIFETIME_SECONDS}}`
  const jwt = await new CompactSign(Buffer.from(claims)).setProtectedHeader({ typ: 'JWT', alg: 'HS256' }).sign(deviceSecret)
  const plain = `${eid}:${jwt}`
  const fernetToken = fernetEncrypt(deviceSecret, Buffer.from(plain), { nowSeconds: iat, ...(options.fernetIv === undefined ? {} : { iv: options.fernetIv }) })
  return { plain, response: Buffer.from(fernetToken).toString('base64') }
}

/** The app's side: the plain "<eid>:<jwt>" out of a response's long_lived_token. */
export function openLongLivedTokenResponse (response: string, deviceSecret: Buffer): Outcome<string> {
  const opened = fernetDecrypt(deviceSecret, Buffer.from(response, 'base64').toString('latin1'))
  return opened.ok ? succeed(opened.value.toString('utf8')) : opened
}

/** Splits "<eid>:<jwt>" at the first ':' so the caller can find the entity and its device secret. */
export function parseLongLivedToken (plain: string): Outcome<{ eid: string, jwt: string }> {
  const at = plain.indexOf(':')
  if (plain.length > MAX_LLT_CHARS || at < 0) return invalid('it is not <eid>:<jwt>')
  const eid = plain.slice(0, at)
  if (!ENTITY_ID_PATTERN.test(eid)) return invalid('its entity id is not 32 hex characters')
  return succeed({ eid, jwt: plain.slice(at + 1) })
}

/**
 * Verifies "<eid>:<jwt>" with the entity's device secret: HS256 only, not expired (upstream's
 * `jwt` library checks exp), and the JWT's eid claim equal to the eid before the ':'.
 */
export async function verifyLongLivedToken (plain: string, deviceSecret: Buffer, nowSeconds?: number): Promise<Outcome<{ eid: string }>> {
  const parsed = parseLongLivedToken(plain)
  if (!parsed.ok) return parsed
  try {
    const { payload } = await jwtVerify(parsed.value.jwt, deviceSecret, {
      algorithms: ['HS256'],
      ...(nowSeconds === undefined ? {} : { currentDate: new Date(nowSeconds * 1000) })
    })
    if (payload.eid !== parsed.value.eid) return invalid('its eid claim does not match')
    return succeed({ eid: parsed.value.eid })
  } catch {
    return invalid('its JWT does not verify with this device secret')
  }
}

function invalid<T> (reason: string): Outcome<T> {
  return fail(errorCodes.relayTokenInvalid, `long-lived token is invalid: ${reason}`)
}
