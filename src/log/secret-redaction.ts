// Secrets that can ride in a URL or a header: a key sent as `?api_key=` (which the API refuses,
// but only after the request was logged), a bearer token, a session cookie. Everything that logs
// a request or a URL passes it through here first (logger.ts: the `url` paths, message strings,
// error messages; app.ts: Fastify's request serializer).

export const REDACTED = '[redacted]'

/** A query parameter or field whose name says it holds a secret: api_key, access_token, password, sig, … */
const SECRET_NAME = /key|token|secret|pass|pwd|sig|auth|credential|session|cookie|jwt/i

// `?name=value` or `&name=value` (also `;`), anywhere in a text; the value runs to the next separator.
const QUERY_PARAMETER = /([?&;])([^=&;#\s?"']+)=([^&;#\s"']*)/g
// RFC 6750 and RFC 7617 credentials, as a header value or quoted in a message (8 characters at
// least, and Basic capitalised, so that prose such as "basic check" stays as it is).
const AUTHORIZATION = /\b([Bb]earer|BEARER|Basic)( +)[A-Za-z0-9\-._~+/]{8,}=*/g
// Our own keys (smsgw_<id>_<secret>, operator keys smsgw_op_<id>_<secret>) and webhook secrets, wherever they appear.
const SMSGW_SECRET = /\b(smsgw_(?:op_)?[0-9a-f]{12}_|whsec_)[A-Za-z0-9_-]{20,}/g
// The password in the userinfo of an absolute URL: scheme://user:password@host
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:)[^/@\s]*@/gi

/** The name as a query parameter means it (`api%5Fkey` is `api_key`); the raw text when it is not valid percent-encoding. */
function decodedName (name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}

/**
 * `text` (a URL, a path with its query, a log message) with the values of secret-looking query
 * parameters, bearer and basic credentials, smsgw keys and URL passwords replaced by
 * `[redacted]`; everything else is left as it was, so the log still shows which route was asked.
 */
export function redactSecrets (text: string): string {
  return text
    .replace(QUERY_PARAMETER, (whole, separator: string, name: string) => SECRET_NAME.test(decodedName(name)) ? `${separator}${name}=${REDACTED}` : whole)
    .replace(AUTHORIZATION, (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(SMSGW_SECRET, (_whole, prefix: string) => `${prefix}${REDACTED}`)
    .replace(USERINFO, (_whole, schemeAndUser: string) => `${schemeAndUser}${REDACTED}@`)
}
