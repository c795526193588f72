import { setTimeout as delay } from 'node:timers/promises'
import type { RelayPublicationStore } from '../../store/relay-publications.ts'
import type { EntityInternal } from '../grpc/entity-internal/entity-internal.ts'
import type { RelaySms } from '../outbound/relay-sms.ts'
import type { Platform } from '../payload/platforms.ts'
import type { PlatformAdapter } from '../platforms/platform-adapter.ts'
import { publishNotice } from '../relay-diagnostics.ts'
import { deliveryNoticeText } from './delivery-notice.ts'
import type { RetryPolicy } from './publish-retries.ts'
import type { ReliabilityTests } from './reliability-tests.ts'

// What the publisher works with (publisherOf's options) and the same with its defaults filled in.

/** Ours: three calls, 0.5 s then 1 s apart; a Retry-After over 10 s is not waited for inside one publish. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 })

/** A delivery notice arriving a day late is of no use: the outbound side drops it then. */
export const NOTICE_DEADLINE_MS = 24 * 60 * 60 * 1000

export interface PublisherOptions {
  /** The vault's EntityInternal: tokens and decryption (relay-wire.md §2). */
  readonly entityInternal: EntityInternal
  /** The platforms' adapters by platform name (src/relay/platforms/); a platform without one is UNIMPLEMENTED. */
  readonly adapters: ReadonlyMap<string, PlatformAdapter>
  /** The record of each payload published (at most one post per payload). */
  readonly publications: RelayPublicationStore
  /** The key of the records' digests (publicationKeyOf). */
  readonly publicationKey: Buffer
  /**
   * Checks a long-lived token as Vault's ListEntityStoredTokens does, failing with its RpcFailure
   * (upstream's exchanges call that RPC first).
   */
  readonly checkLongLivedToken: (longLivedToken: string) => Promise<void>
  /** The gateway-client registry's reliability tests; none, the `r` platform is UNIMPLEMENTED. */
  readonly reliabilityTests?: ReliabilityTests | undefined
  /** Where delivery notices go out (the relay's own SMS); none, no notices. */
  readonly notices?: RelaySms | undefined
  readonly retry?: RetryPolicy
  readonly nowMs?: () => number
  readonly sleep?: (ms: number) => Promise<void>
  /** Told what went wrong where the answer stands anyway (a token not stored back, a notice not queued); never given content. */
  readonly onError?: (event: string, error: unknown) => void
}

export interface NoticeRequest {
  /** The number the payload came from; empty, no notice. */
  readonly recipient: string
  readonly platform: Platform
  readonly published: boolean
  readonly language: string
  readonly additional?: string | undefined
}

export interface PublisherParts extends Omit<PublisherOptions, 'retry' | 'nowMs' | 'sleep' | 'onError' | 'notices'> {
  readonly retry: RetryPolicy
  readonly nowMs: () => number
  readonly sleep: (ms: number) => Promise<void>
  readonly onError: (event: string, error: unknown) => void
  /** Queues the delivery notice when notices are on; never fails (a notice not queued is logged and counted). */
  readonly notify: (notice: NoticeRequest) => Promise<void>
}

export function publisherParts (options: PublisherOptions): PublisherParts {
  const nowMs = options.nowMs ?? Date.now
  const onError = options.onError ?? (() => {})
  const notices = options.notices
  return {
    ...options,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    nowMs,
    sleep: options.sleep ?? (async ms => { await delay(ms) }),
    onError,
    notify: async notice => {
      if (notices === undefined || notice.recipient === '') return
      const atMs = nowMs()
      const text = deliveryNoticeText({ platform: notice.platform.name, outcome: notice.published ? 'published' : 'failed', atMs, language: notice.language, additional: notice.additional })
      try {
        await notices.send(notice.recipient, text, 'notice', atMs + NOTICE_DEADLINE_MS)
        publishNotice('sent')
      } catch (error) {
        publishNotice('failed')
        onError('delivery notice not queued', error)
      }
    }
  }
}
