import { status } from '@grpc/grpc-js'
import { missingField, RpcFailure } from './rpc-failure.ts'

// The captcha of step 1 (relay-wire.md §4 and §5.4): the app solves a challenge with the captcha
// service and sends its token; the vault asks the service whether the token is good, with its
// client_secret, and answers with the contract's texts.

export type CaptchaVerdict =
  | { readonly kind: 'passed' }
  | { readonly kind: 'refused', readonly message: string }
  | { readonly kind: 'timed-out' }
  | { readonly kind: 'failed' }

export type CaptchaVerifier = (token: string) => Promise<CaptchaVerdict>

/** Ours: how long the service is awaited before the app is told to try again. */
export const CAPTCHA_TIMEOUT_MS = 5000
/** Ours: a service's refusal text is passed on, bounded. */
const MAX_MESSAGE_CHARS = 256

export interface CaptchaServiceOptions {
  readonly baseUrl: string
  readonly clientSecret: string
  readonly timeoutMs?: number
}

/** The captcha service: POST <base>/v1/verify {"client_secret","token"} → {"success","message"}. */
export function captchaServiceVerifier (options: CaptchaServiceOptions): CaptchaVerifier {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/v1/verify`
  const timeoutMs = options.timeoutMs ?? CAPTCHA_TIMEOUT_MS
  return async token => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_secret: options.clientSecret, token }),
        signal: AbortSignal.timeout(timeoutMs)
      })
      if (!response.ok) return { kind: 'failed' }
      const body = await response.json() as { success?: unknown, message?: unknown }
      if (body.success === true) return { kind: 'passed' }
      return { kind: 'refused', message: typeof body.message === 'string' ? body.message.slice(0, MAX_MESSAGE_CHARS) : 'Captcha verification failed.' }
    } catch (error) {
      return { kind: (error as Error).name === 'TimeoutError' ? 'timed-out' : 'failed' }
    }
  }
}

/** Step 1's captcha check, when a captcha is configured: the contract's status and details for each verdict. */
export async function checkCaptcha (captcha: CaptchaVerifier | undefined, token: string): Promise<void> {
  if (captcha === undefined) return
  if (token === '') throw missingField('captcha_token')
  const verdict = await captcha(token)
  if (verdict.kind === 'passed') return
  if (verdict.kind === 'refused') throw new RpcFailure(status.PERMISSION_DENIED, verdict.message)
  // relay-wire.md §4 names only INVALID_ARGUMENT (the missing token) and PERMISSION_DENIED for this row.
  throw new RpcFailure(status.PERMISSION_DENIED, verdict.kind === 'timed-out' ? 'Captcha verification timed out. Please try again.' : 'Failed to verify captcha. Please try again.')
}
