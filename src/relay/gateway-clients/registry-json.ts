import type { GatewayClient, ReliabilityTest, ReliabilityTestPage } from '../../store/gateway-clients.ts'

// The JSON of the registry's answers as upstream's Flask serialises them (relay-wire.md §5.1):
// keys sorted (Flask's default), times in Unix seconds, the reliability a two-place decimal
// rendered as text, sums of the test totals as MySQL returns them (a decimal, so text; NULL over
// no rows). The app decodes a client and a started test strictly, so the key sets are exact.

/** Upstream's `reliability` (DecimalField(5, 2)) as Flask renders a Decimal: "0.00", "83.33", "100.00". */
export function reliabilityText (hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`
}

export function unixSeconds (ms: number): number {
  return Math.floor(ms / 1000)
}

export interface GatewayClientJson {
  country: string
  last_published_date: number
  msisdn: string
  operator: string
  operator_code: string
  protocols: string[]
  reliability: string
}

export function gatewayClientJson (client: GatewayClient): GatewayClientJson {
  return {
    country: client.country,
    last_published_date: unixSeconds(client.lastPublishedAtMs),
    msisdn: client.msisdn,
    operator: client.operator,
    operator_code: client.operatorCode,
    protocols: [...client.protocols],
    reliability: reliabilityText(client.reliabilityHundredths)
  }
}

export interface ReliabilityTestJson {
  id: number
  msisdn: string
  sms_received_time: number | null
  sms_routed_time: number | null
  sms_sent_time: number | null
  start_time: number
  status: string
}

function testJson (test: ReliabilityTest): ReliabilityTestJson {
  const seconds = (ms: number | undefined): number | null => ms === undefined ? null : unixSeconds(ms)
  return {
    id: test.id,
    msisdn: test.msisdn,
    sms_received_time: seconds(test.smsReceivedAtMs),
    sms_routed_time: seconds(test.smsRoutedAtMs),
    sms_sent_time: seconds(test.smsSentAtMs),
    start_time: unixSeconds(test.startedAtMs),
    status: test.status
  }
}

export interface ReliabilityTestPageJson {
  data: ReliabilityTestJson[]
  total_failed: string | null
  total_records: number
  total_success: string | null
}

export function reliabilityTestPageJson (page: ReliabilityTestPage): ReliabilityTestPageJson {
  // MySQL's SUM: a DECIMAL (Flask writes it as text), NULL when no row matched.
  const sum = (value: number): string | null => page.total === 0 ? null : String(value)
  return {
    data: page.tests.map(testJson),
    total_failed: sum(page.timedOut),
    total_records: page.total,
    total_success: sum(page.succeeded)
  }
}

export interface StartedTestJson {
  message: string
  test_id: number
  test_start_time: number
}

export function startedTestJson (test: ReliabilityTest): StartedTestJson {
  return { message: 'Test started successfully.', test_id: test.id, test_start_time: unixSeconds(test.startedAtMs) }
}
