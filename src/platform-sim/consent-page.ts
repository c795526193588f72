import { escapeHtml } from './sim-http.ts'

/** The authorization request a consent page shows and posts back. */
export interface AuthorizationRequest {
  readonly platform: string
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  readonly state: string
  readonly codeChallenge: string
}

/** The account a consent approves when none is typed in. */
export const DEFAULT_SIM_ACCOUNT = 'sim-user'

/**
 * The consent page: who asks for what, an account name to approve as, Approve and Deny. The form
 * posts the request's fields back to the same path (POST /oauth/authorize), as a browser would.
 */
export function consentPage (action: string, request: AuthorizationRequest): string {
  const hidden = ([
    ['client_id', request.clientId],
    ['redirect_uri', request.redirectUri],
    ['response_type', 'code'],
    ['scope', request.scope],
    ['state', request.state],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', 'S256']
  ] as const).map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`).join('\n      ')
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Authorize — ${escapeHtml(request.platform)} (platform simulator)</title></head>
  <body>
    <h1>${escapeHtml(request.platform)} (platform simulator)</h1>
    <p>The application <code>${escapeHtml(request.clientId)}</code> asks for: <code>${escapeHtml(request.scope === '' ? '(no scope)' : request.scope)}</code>.</p>
    <p>It will be sent back to <code>${escapeHtml(request.redirectUri)}</code>.</p>
    <form method="post" action="${escapeHtml(action)}">
      ${hidden}
      <label>Account <input name="account" value="${DEFAULT_SIM_ACCOUNT}" pattern="[A-Za-z0-9_\\-]{1,30}" required></label>
      <button type="submit" name="approve" value="yes">Approve</button>
      <button type="submit" name="approve" value="no">Deny</button>
    </form>
  </body>
</html>
`
}
