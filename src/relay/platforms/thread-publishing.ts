import type { EmailContent, MessageContent, TextContent } from '../payload/content.ts'
import { accessTokenOf, expiresSoon, refreshTokenOf } from './oauth2-token.ts'
import { PlatformFailure, type PlatformToken, type PostedParts, type Published } from './platform-adapter.ts'

// Posting a thread with an OAuth 2.0 token (relay.md §6): each part in reply to the one before,
// the token refreshed first when it is about to expire, or once when the platform refuses it
// (a token revoked or expired early), then the same part again. A refreshed token goes back to
// the publisher whatever happens next, on success and on failure; so do the parts posted before a
// failure, for the publisher's retry to go on after them rather than post them again.

export interface ThreadPoster {
  /** The platform's display name, for failure texts. */
  readonly platform: string
  now (): number
  /** New tokens for a refresh token; throws a PlatformFailure. */
  refresh (refreshToken: string): Promise<PlatformToken>
  /**
   * Posts part `index` (from 0), in reply to a part (and in the thread of its first part) or none;
   * resolves to the new post's reference (PostedParts); throws a PlatformFailure.
   */
  post (accessToken: string, text: string, inReplyTo: string | undefined, root: string | undefined, index: number): Promise<string>
}

/** Posts `parts` after the first `posted.length` of them, which earlier calls posted (`posted`, their references). */
export async function publishThread (poster: ThreadPoster, token: PlatformToken, parts: readonly string[], posted: PostedParts = []): Promise<Published> {
  let current = token
  let refreshed = false
  const done = [...posted]
  const refresh = async (): Promise<void> => {
    const refreshToken = refreshTokenOf(current)
    if (refreshToken === undefined) throw new PlatformFailure('token-invalid', `the ${poster.platform} token expired and has no refresh token: link the account again`)
    current = await poster.refresh(refreshToken)
    refreshed = true
  }
  try {
    if (expiresSoon(current, poster.now())) await refresh()
    for (let index = done.length; index < parts.length; index += 1) {
      const part = parts[index] as string
      const post = async (): Promise<string> => await poster.post(accessTokenOf(current, poster.platform), part, done.at(-1), done[0], index)
      try {
        done.push(await post())
      } catch (error) {
        if (!(error instanceof PlatformFailure) || error.kind !== 'token-invalid' || refreshed || refreshTokenOf(current) === undefined) throw error
        await refresh()
        done.push(await post())
      }
    }
  } catch (error) {
    if (error instanceof PlatformFailure && (refreshed || done.length > 0)) throw new PlatformFailure(error.kind, error.message, error.retryAfterMs, refreshed ? current : undefined, done)
    throw error
  }
  return refreshed ? { refreshedToken: current } : {}
}

/** The body of a text platform's content (X, Mastodon, Bluesky read `from` and `body`, relay.md §4); other content is refused. */
export function textBodyOf (content: EmailContent | TextContent | MessageContent, platform: string): string {
  if (content.serviceType !== 'text') throw new PlatformFailure('rejected', `${platform} takes text content, not ${content.serviceType}`)
  return content.body
}
