import type { GatewayClientRegistryStore, ReliabilityTestStore, TestTally } from '../../store/gateway-clients.ts'

// Reliability tests of gateway clients (relay.md §5, relay-wire.md §5.1): the app starts one
// (POST /v3/clients/<msisdn>/tests), then texts a `r` payload whose content is the test id to that
// client's phone; the phone forwards it, and the publisher records it here as routed. A test not
// routed within 10 minutes times out. A client's reliability is the share of its tests routed
// within RELIABLE_ROUTING_SECONDS of the phone receiving them, once it has MIN_TESTS_FOR_SCORE.

/** A test neither succeeded nor timed out this long after its start is marked timed out (relay-wire.md §5.1). */
export const TEST_TIMEOUT_MS = 10 * 60_000

/** Below this many tests a client's reliability stays 0 (relay.md §5): a score of one lucky test says nothing. */
export const MIN_TESTS_FOR_SCORE = 5

/** Marks the tests started `TEST_TIMEOUT_MS` or more before `nowMs` and still open as timed out. */
export async function sweepTimedOut (tests: ReliabilityTestStore, nowMs: number): Promise<number> {
  return await tests.sweep(nowMs - TEST_TIMEOUT_MS)
}

/**
 * The reliability in hundredths of a percent, as upstream computes it: routed in time over every
 * test of the client, times 100, to two places (half up here, where upstream rounds a float).
 */
export function reliabilityHundredths (tally: TestTally): number {
  if (tally.tests < MIN_TESTS_FOR_SCORE) return 0
  return Math.round(tally.succeeded * 10_000 / tally.tests)
}

/** What the publisher hears back, as upstream's reliability adapter answers (success, and its message). */
export interface ReliabilityEventResult {
  readonly success: boolean
  readonly message: string
}

/** The forward that carried a test's payload: the gateway phone's `date_sent` and `date` (Unix ms). */
export interface RoutedTestSms {
  readonly sentAtMs: number | undefined
  readonly receivedAtMs: number | undefined
}

/**
 * The port the publisher calls for a `r` (reliability) payload: records the test `testId` (the
 * payload's content) as routed now. Resolves with upstream's adapter texts; rejects only when the
 * store fails.
 */
export interface ReliabilityTests {
  recordRouted: (testId: string, sms: RoutedTestSms) => Promise<ReliabilityEventResult>
}

// A test id is the store's integer id; anything else names no test.
const TEST_ID = /^\d{1,15}$/

/**
 * ReliabilityTests over the store: as upstream's reliability-event-adapter, a pending or running
 * test becomes `success` with the SMS's sent and received times and now as its routed time; an
 * ended one is left as it is. Then, as upstream's gateway did, the client's reliability is
 * computed again. Stale tests are swept first, so a test answered after its timeout stays
 * timed out.
 */
export function reliabilityTestsOf (store: GatewayClientRegistryStore, now: () => number = Date.now): ReliabilityTests {
  return {
    recordRouted: async (testId, sms) => {
      if (sms.sentAtMs === undefined) return { success: false, message: 'sms_sent_timestamp is required.' }
      if (sms.receivedAtMs === undefined) return { success: false, message: 'sms_received_timestamp is required.' }
      const notFound = { success: false, message: `Test ID ${testId} not found in the database.` }
      if (!TEST_ID.test(testId)) return notFound
      const routedAtMs = now()
      await sweepTimedOut(store.tests, routedAtMs)
      const completion = await store.tests.complete(Number(testId), { sentAtMs: sms.sentAtMs, receivedAtMs: sms.receivedAtMs, routedAtMs })
      if (completion.outcome === 'unknown') return notFound
      if (completion.outcome === 'ended') return { success: false, message: `Test ID ${testId} is already marked as '${completion.status}'.` }
      await store.tests.refreshReliability(completion.msisdn, reliabilityHundredths)
      return { success: true, message: `Test ID ${testId} updated successfully.` }
    }
  }
}

/**
 * Records that a payload the gateway client `msisdn` forwarded was published at `atMs` (its
 * last_published_date; never moved back). The ingress calls it with the msisdn a forwarding key
 * named (forwarderAuthorization). Resolves with whether `msisdn` is a registered client.
 */
export async function recordForward (store: GatewayClientRegistryStore, msisdn: string, atMs: number): Promise<boolean> {
  return await store.clients.recordPublished(msisdn, atMs)
}
