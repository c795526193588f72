import type { Awaitable } from '../async/awaitable.ts'

// The relay's gateway-client registry as the store keeps it (relay.md §5, relay-wire.md §5.1):
// the phones that forward RelaySMS payloads, and the reliability tests run through them.
//
// A gateway client's msisdn is the public number of a phone the app lists to its users
// (GET /v3/clients serves it in the clear), not a user's number: it is stored as given, the
// row's key. Its forwarding key (ours, docs/relay.md "Gateway clients") is stored only as the
// SHA-256 hex of the key: the key is 256 random bits, so a fast digest cannot be searched, and a
// forward finds its client by one indexed lookup.

/** Bounds of what an operator registers (bytes of UTF-8), checked before a row is written. */
export const gatewayClientLimits = Object.freeze({
  /** E.164: `+` and at most 15 digits. */
  msisdnBytes: 16,
  countryBytes: 64,
  operatorBytes: 64,
  /** MCC + MNC: 5 or 6 digits. */
  operatorCodeBytes: 6,
  /** The comma-separated list as stored. */
  protocolsBytes: 64
})

/** The test states of relay-wire.md §5.1. */
export const reliabilityTestStatuses = Object.freeze({ pending: 'pending', running: 'running', success: 'success', timedout: 'timedout' })
export type ReliabilityTestStatus = typeof reliabilityTestStatuses[keyof typeof reliabilityTestStatuses]
export const allowedReliabilityTestStatuses: readonly ReliabilityTestStatus[] = Object.values(reliabilityTestStatuses)

export interface GatewayClient {
  readonly msisdn: string
  readonly country: string
  readonly operator: string
  readonly operatorCode: string
  /** Stored comma-separated (as upstream does); the order the operator gave. */
  readonly protocols: readonly string[]
  /** The reliability in hundredths of a percent (0 to 10000): "12.34" is 1234. */
  readonly reliabilityHundredths: number
  /** When a payload it forwarded was last published; its registration time until then. */
  readonly lastPublishedAtMs: number
  /** Whether a forwarding key is set (never the key nor its digest). */
  readonly hasForwarderKey: boolean
}

export interface NewGatewayClient {
  readonly msisdn: string
  readonly country: string
  readonly operator: string
  readonly operatorCode: string
  readonly protocols: readonly string[]
  readonly registeredAtMs: number
}

/** GET /v3/clients's filters, already normalised: strings compared case-insensitively. */
export interface GatewayClientFilter {
  /** Equal, ignoring case. */
  readonly country?: string
  /** A substring, ignoring case. */
  readonly operator?: string
  /** A substring of the stored comma-separated list, ignoring case. */
  readonly protocols?: string
  /** last_published_at_ms in [fromMs, toMs). */
  readonly lastPublished?: { readonly fromMs: number, readonly toMs: number }
}

/** A page: rows skipped and rows returned at most. */
export interface PageWindow {
  readonly offset: number
  readonly limit: number
}

export interface ReliabilityTest {
  readonly id: number
  readonly msisdn: string
  readonly status: ReliabilityTestStatus
  readonly startedAtMs: number
  readonly smsSentAtMs: number | undefined
  readonly smsReceivedAtMs: number | undefined
  readonly smsRoutedAtMs: number | undefined
}

export interface ReliabilityTestFilter {
  readonly status?: string
  /** start_time at or after. */
  readonly startedFromMs?: number
  /** start_time at or before. */
  readonly startedToMs?: number
}

/** One page of a client's tests, newest first, with the totals over every test the filter keeps. */
export interface ReliabilityTestPage {
  readonly tests: ReliabilityTest[]
  readonly total: number
  /** Tests succeeded within RELIABLE_ROUTING_SECONDS of their receipt. */
  readonly succeeded: number
  readonly timedOut: number
}

/** What completing a test did: completed, or why not (it is unknown, or has ended already). */
export type TestCompletion =
  | { readonly outcome: 'completed', readonly msisdn: string }
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'ended', readonly status: ReliabilityTestStatus }

/**
 * A test counts as a success when its SMS was routed within this many seconds of the gateway
 * phone receiving it (relay.md §5; whole seconds, as upstream compares Unix timestamps).
 */
export const RELIABLE_ROUTING_SECONDS = 300

export interface GatewayClientStore {
  /** Registers a client; resolves with false, writing nothing, when its msisdn is registered already. */
  add: (client: NewGatewayClient) => Promise<boolean>
  /** Forgets a client with its tests; resolves with whether there was one. */
  remove: (msisdn: string) => Promise<boolean>
  get: (msisdn: string) => Awaitable<GatewayClient | undefined>
  /** The clients the filter keeps, by msisdn, one page of them, and how many it keeps in all. */
  list: (filter: GatewayClientFilter, page: PageWindow) => Awaitable<{ clients: GatewayClient[], total: number }>
  /** Distinct countries, sorted. */
  countries: () => Awaitable<string[]>
  /** Distinct operators, sorted, of the clients whose country is `country` ignoring case. */
  operators: (country: string) => Awaitable<string[]>
  /** Sets (or with undefined, clears) the forwarding key's digest; resolves with whether the client exists. */
  setForwarderKeyDigest: (msisdn: string, digest: string | undefined) => Promise<boolean>
  /** The msisdn of the client whose forwarding key has this digest. */
  clientOfForwarderKey: (digest: string) => Awaitable<string | undefined>
  /** Records a publication of a payload the client forwarded; resolves with whether the client exists. */
  recordPublished: (msisdn: string, atMs: number) => Promise<boolean>
}

export interface ReliabilityTestStore {
  /** Starts a pending test of the client; undefined when no such client is registered. */
  start: (msisdn: string, atMs: number) => Promise<ReliabilityTest | undefined>
  /** Marks every test neither succeeded nor timed out and started at or before `cutoffMs` timed out; resolves with how many. */
  sweep: (cutoffMs: number) => Promise<number>
  /** One page of the client's tests the filter keeps, newest first, with its totals. */
  list: (msisdn: string, filter: ReliabilityTestFilter, page: PageWindow) => Awaitable<ReliabilityTestPage>
  /**
   * Marks a test that is pending or running a success, with its SMS's times; one statement, so of
   * two completions at once one wins.
   */
  complete: (id: number, times: { sentAtMs: number, receivedAtMs: number, routedAtMs: number }) => Promise<TestCompletion>
  /** How many tests the client has, and how many succeeded within RELIABLE_ROUTING_SECONDS. */
  tally: (msisdn: string) => Awaitable<TestTally>
  /**
   * Stores `score` of the client's tally as its reliability (hundredths of a percent, 0 to 10000),
   * from a tally no older than the store's last change of its tests: of two refreshes at once,
   * the older tally never overwrites the newer.
   */
  refreshReliability: (msisdn: string, score: (tally: TestTally) => number) => Promise<void>
}

export interface TestTally {
  readonly tests: number
  readonly succeeded: number
}

/** The registry's two tables, one field of the embedded store. */
export interface GatewayClientRegistryStore {
  readonly clients: GatewayClientStore
  readonly tests: ReliabilityTestStore
}

/** A forwarding key's digest: SHA-256 hex. */
export const FORWARDER_KEY_DIGEST = /^[0-9a-f]{64}$/

/** Throws a RangeError naming the field when a value is over its bound or not the form the table holds: the store then writes nothing. */
export function checkNewGatewayClient (client: NewGatewayClient): void {
  const bounded: Array<[string, string, number]> = [
    ['msisdn', client.msisdn, gatewayClientLimits.msisdnBytes],
    ['country', client.country, gatewayClientLimits.countryBytes],
    ['operator', client.operator, gatewayClientLimits.operatorBytes],
    ['operatorCode', client.operatorCode, gatewayClientLimits.operatorCodeBytes],
    ['protocols', client.protocols.join(','), gatewayClientLimits.protocolsBytes]
  ]
  for (const [name, value, bytes] of bounded) {
    if (Buffer.byteLength(value, 'utf8') > bytes) throw new RangeError(`a gateway client's ${name} has at most ${bytes} bytes`)
  }
  if (client.protocols.some(protocol => protocol === '' || protocol.includes(','))) throw new RangeError('a gateway client\'s protocols are non-empty words without commas')
}

/** The protocols of their stored comma-separated text; none for an empty one (as upstream lists them). */
export function protocolsOfColumn (text: string): string[] {
  return text === '' ? [] : text.split(',')
}
