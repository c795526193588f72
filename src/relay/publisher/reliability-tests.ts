// The reliability platform (`r`, protocol event, service type test; relay.md §5): a payload whose
// content is a test id marks that gateway-client reliability test as routed, as upstream's
// reliability-event-adapter's update does. The tests are the gateway-client registry's; this is
// the port the publisher calls it through.

export interface RoutedTest {
  /** The test id as the payload carried it (upstream: an integer id, as text). */
  readonly testId: string
  /** The number the payload came from (metadata `From`). */
  readonly senderMsisdn: string
  /** When the phone sent the SMS and when the gateway client received it (metadata `Date_sent`, `Date`). */
  readonly smsSentAtMs: number
  readonly smsReceivedAtMs: number
  /** When the publisher routed it. */
  readonly routedAtMs: number
}

/**
 * `routed`: the test was pending and is now complete; `not-found`: no test has the id;
 * `already-final`: the test had ended before (`success` or `timedout`, upstream's statuses) and
 * stays as it was.
 */
export type RoutedTestOutcome =
  | { readonly outcome: 'routed' }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'already-final', readonly status: string }

export interface ReliabilityTests {
  recordRouted: (test: RoutedTest) => Promise<RoutedTestOutcome>
}

/** Upstream's texts for each outcome (reliability-event-adapter adapter.py). */
export function routedTestText (testId: string, routed: RoutedTestOutcome): string {
  switch (routed.outcome) {
    case 'routed': return `Test ID ${testId} updated successfully.`
    case 'not-found': return `Test ID ${testId} not found in the database.`
    case 'already-final': return `Test ID ${testId} is already marked as '${routed.status}'.`
  }
}
