// The reliability platform (`r`, protocol event, service type test; relay.md §5): a payload whose
// content is a test id marks that gateway-client reliability test as routed, as upstream's
// reliability-event-adapter's update does. The tests are the gateway-client registry's
// (src/relay/gateway-clients/, `reliabilityTestsOf(store)`, which answers with upstream's adapter
// texts); this is the port the publisher calls it through, the same shape.

/** The forward that carried the test's payload: the gateway phone's `Date_sent` and `Date`, in Unix ms; undefined when absent. */
export interface RoutedTestSms {
  readonly sentAtMs: number | undefined
  readonly receivedAtMs: number | undefined
}

/** Upstream's adapter answer: success, and its text ("Test ID <id> updated successfully.", or why not). */
export interface ReliabilityEventResult {
  readonly success: boolean
  readonly message: string
}

export interface ReliabilityTests {
  /** Records the test `testId` as routed now; rejects only when its store fails. */
  recordRouted: (testId: string, sms: RoutedTestSms) => Promise<ReliabilityEventResult>
}
