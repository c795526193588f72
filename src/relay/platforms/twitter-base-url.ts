import { Agent } from 'node:http'
import type { IClientSettings, ITwitterApiClientPlugin } from 'twitter-api-v2'

// twitter-api-v2 has its URLs built in (https://api.x.com/2/… for the API and for OAuth 2.0's
// token and revoke) and offers no base URL setting. Its plugins may change a request before it is
// built (onBeforeRequestConfig gets the request's own parameters), so one plugin moves every call
// from api.x.com to the configured base URL and gives each a timeout. The library sends with
// node:https; to a plain http:// base (the platform simulator) it needs an http Agent, which
// node:https accepts for http: URLs.

export const X_API_ORIGIN = 'https://api.x.com'

/** The client settings that send every call of twitter-api-v2 to `baseUrl` instead of https://api.x.com, within `timeoutMs`. */
export function twitterClientSettings (baseUrl: string, timeoutMs: number): Partial<IClientSettings> {
  const base = baseUrl.replace(/\/+$/, '')
  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig: ({ params }) => {
      if (params.url.startsWith(`${X_API_ORIGIN}/`)) params.url = base + params.url.slice(X_API_ORIGIN.length)
      params.timeout = timeoutMs
    }
  }
  return {
    plugins: [plugin],
    ...(base.startsWith('http://') ? { httpAgent: new Agent({ keepAlive: true }) } : {})
  }
}
