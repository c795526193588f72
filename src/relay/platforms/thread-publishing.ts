import type { EmailContent, MessageContent, TextContent } from '../payload/content.ts'
import { accessTokenOf, expiresSoon, refreshTokenOf } from './oauth2-token.ts'
import { PlatformFailure, type PlatformToken, type Published } from './platform-adapter.ts'

// Posting a thread with an OAuth 2.0 token (relay.md §6): each part in reply to the one before,
// the token refreshed first when it is about to expire, or once when the platform refuses it
// (a token revoked or expired early), then the same part again. A refreshed token goes back to
// the publisher whatever happens next, on success and on failure.

export interface ThreadPoster {
  /** The platform's display name, for failure texts. */
  readonly platform: string
  now (): number
  /** New tokens for a refresh token; throws a PlatformFailure. */
  refresh (refreshToken: string): Promise<PlatformToken>
  /** Posts one part, in reply to a post id or none; resolves to the new post's id; throws a PlatformFailure. */
  post (accessToken: string, text: string, inReplyTo: string | undefined): Promise<string>
}

export async function publishThread (poster: ThreadPoster, token: PlatformToken, parts: readonly string[]): Promise<Published> {
  let current = token
  let refreshed = false
  const refresh = async (): Promise<void> => {
    const refreshToken = refreshTokenOf(current)
    if (refreshToken === undefined) throw new PlatformFailure('token-invalid', `the ${poster.platform} token expired and has no refresh token: link the account again`)
    current = await poster.refresh(refreshToken)
    refreshed = true
  }
  try {
    if (expiresSoon(current, poster.now())) await refresh()
    let inReplyTo: string | undefined
    for (const part of parts) {
      try {
        inReplyTo = await poster.post(accessTokenOf(current, poster.platform), part, inReplyTo)
      } catch (error) {
        if (!(error instanceof PlatformFailure) || error.kind !== 'token-invalid' || refreshed || refreshTokenOf(current) === undefined) throw error
        await refresh()
        inReplyTo = await poster.post(accessTokenOf(current, poster.platform), part, inReplyTo)
      }
    }
  } catch (error) {
    if (refreshed && error instanceof PlatformFailure) throw new PlatformFailure(error.kind, error.message, error.retryAfterMs, current)
    throw error
  }
  return refreshed ? { refreshedToken: current } : {}
}

/** The body of a text platform's content (X, Mastodon, Bluesky read `from` and `body`, relay.md §4); other content is refused. */
export function textBodyOf (content: EmailContent | TextContent | MessageContent, platform: string): string {
  if (content.serviceType !== 'text') throw new PlatformFailure('rejected', `${platform} takes text content, not ${content.serviceType}`)
  return content.body
}
