import { SmsgwError, errorCodes } from '../../errors.ts'

// Consenting without a browser, against our platform simulator (docs/relay.md, "Platform
// simulator"): its consent page is a form that posts the authorization request's fields back to
// the same path with approve=yes; the answer is the redirect to the app's redirect URL, whose
// `code` the app exchanges. A real platform's page needs a person: print its URL instead.

const CONSENT_TIMEOUT_MS = 15_000

/** Approves the authorization request of `authorizationUrl` as `account` (the simulator's default account without one); resolves to the authorization code. */
export async function consentAtSimulator (authorizationUrl: string, account?: string): Promise<string> {
  const url = new URL(authorizationUrl)
  const form = new URLSearchParams(url.searchParams)
  form.set('approve', 'yes')
  if (account !== undefined) form.set('account', account)
  const target = `${url.origin}${url.pathname}`
  let response: Response
  try {
    response = await fetch(target, { method: 'POST', body: form, redirect: 'manual', signal: AbortSignal.timeout(CONSENT_TIMEOUT_MS) })
  } catch (cause) {
    throw new SmsgwError(errorCodes.relayAppCall, `the consent page ${target} did not answer: ${(cause as Error).message}`, { cause })
  }
  const location = response.headers.get('location')
  if (response.status < 300 || response.status > 399 || location === null) {
    // The simulator's refusals are a short page; its text says what was wrong.
    const page = (await response.text()).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200)
    throw new SmsgwError(errorCodes.relayAppCall, `the consent page ${target} answered ${response.status} without a redirect (is it the platform simulator?): ${page}`)
  }
  return authorizationCodeOf(location)
}

/** The `code` of an OAuth redirect URL (RFC 6749 §4.1.2), or its `error` as a failure. */
export function authorizationCodeOf (redirect: string): string {
  const query = URL.canParse(redirect) ? new URL(redirect).searchParams : new URLSearchParams()
  const code = query.get('code')
  if (code !== null && code !== '') return code
  const error = query.get('error')
  throw new SmsgwError(errorCodes.relayAppCall, error === null ? 'the redirect carries no authorization code' : `the platform refused the authorization: ${error}`)
}
