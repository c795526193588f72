import { randomUUID } from 'node:crypto'
import {
  checkNewGatewayClient, FORWARDER_KEY_DIGEST, protocolsOfColumn, RELIABLE_ROUTING_SECONDS, type GatewayClient, type GatewayClientFilter,
  type GatewayClientRegistryStore, type GatewayClientStore, type NewGatewayClient, type PageWindow, type ReliabilityTest,
  type ReliabilityTestFilter, type ReliabilityTestPage, type ReliabilityTestStatus, type ReliabilityTestStore, type TestCompletion, type TestTally
} from '../gateway-clients.ts'
import type { RetryingPool } from './retrying-pool.ts'

// Sorted as bytes (COLLATE "C"), as SQLite sorts, whatever the database's locale.
interface ClientRow { msisdn: string, country: string, operator: string, operator_code: string, protocols: string, reliability_hundredths: number, last_published_at_ms: string, has_key: boolean }
interface TestRow { id: string, msisdn: string, status: string, start_time_ms: string, sms_sent_time_ms: string | null, sms_received_time_ms: string | null, sms_routed_time_ms: string | null }

const CLIENT_COLUMNS = 'msisdn, country, operator, operator_code, protocols, reliability_hundredths, last_published_at_ms, forwarder_key_digest IS NOT NULL AS has_key'
// $1–$5 are the filters; one left out is bound as NULL and keeps every row.
const CLIENT_FILTER = `($1::text IS NULL OR lower(country) = lower($1))
  AND ($2::text IS NULL OR strpos(lower(operator), lower($2)) > 0)
  AND ($3::text IS NULL OR strpos(lower(protocols), lower($3)) > 0)
  AND ($4::bigint IS NULL OR (last_published_at_ms >= $4 AND last_published_at_ms < $5::bigint))`
const TEST_COLUMNS = 'id, msisdn, status, start_time_ms, sms_sent_time_ms, sms_received_time_ms, sms_routed_time_ms'
// $1–$4 are the client and the filters.
const TEST_FILTER = `msisdn = $1 AND ($2::text IS NULL OR status = $2)
  AND ($3::bigint IS NULL OR start_time_ms >= $3) AND ($4::bigint IS NULL OR start_time_ms <= $4)`
// Whole seconds, as upstream subtracts Unix timestamps; bigint division truncates.
const SUCCEEDED = `status = 'success' AND sms_routed_time_ms IS NOT NULL
  AND sms_routed_time_ms / 1000 - sms_received_time_ms / 1000 <= ${RELIABLE_ROUTING_SECONDS}`
const TALLY = `count(*) AS tests, coalesce(sum(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END), 0) AS succeeded`

/**
 * The gateway-client registry in PostgreSQL (tables smsgw_gateway_clients and
 * smsgw_reliability_tests, src/store/gateway-clients.ts). Each change is one statement, safe to
 * run again after a lost connection: a test's start carries an id of its own.
 */
export class PostgresGatewayClientsTables implements GatewayClientRegistryStore {
  readonly clients: GatewayClientStore
  readonly tests: ReliabilityTestStore

  constructor (pool: RetryingPool) {
    this.clients = new ClientsTable(pool)
    this.tests = new TestsTable(pool)
  }
}

class ClientsTable implements GatewayClientStore {
  readonly #pool: RetryingPool

  constructor (pool: RetryingPool) {
    this.#pool = pool
  }

  /** A retry after a lost connection finds the row its first run stored, and answers false: the caller reads it back. */
  async add (client: NewGatewayClient): Promise<boolean> {
    checkNewGatewayClient(client)
    const { rowCount } = await this.#pool.query(`INSERT INTO smsgw_gateway_clients (msisdn, country, operator, operator_code, protocols, reliability_hundredths, last_published_at_ms)
      VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (msisdn) DO NOTHING`,
    [client.msisdn, client.country, client.operator, client.operatorCode, client.protocols.join(','), client.registeredAtMs])
    return rowCount === 1
  }

  /** The tests go with the client (ON DELETE CASCADE). */
  async remove (msisdn: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('DELETE FROM smsgw_gateway_clients WHERE msisdn = $1', [msisdn])
    return rowCount === 1
  }

  async get (msisdn: string): Promise<GatewayClient | undefined> {
    const { rows } = await this.#pool.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM smsgw_gateway_clients WHERE msisdn = $1`, [msisdn])
    return rows[0] === undefined ? undefined : clientOf(rows[0])
  }

  async list (filter: GatewayClientFilter, page: PageWindow): Promise<{ clients: GatewayClient[], total: number }> {
    const parameters = [filter.country ?? null, filter.operator ?? null, filter.protocols ?? null, filter.lastPublished?.fromMs ?? null, filter.lastPublished?.toMs ?? null]
    const [{ rows }, counted] = await Promise.all([
      this.#pool.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM smsgw_gateway_clients WHERE ${CLIENT_FILTER} ORDER BY msisdn COLLATE "C" LIMIT $6 OFFSET $7`, [...parameters, page.limit, page.offset]),
      this.#pool.query<{ total: string }>(`SELECT count(*) AS total FROM smsgw_gateway_clients WHERE ${CLIENT_FILTER}`, parameters)
    ])
    return { clients: rows.map(clientOf), total: Number(counted.rows[0]?.total ?? 0) }
  }

  async countries (): Promise<string[]> {
    const { rows } = await this.#pool.query<{ country: string }>('SELECT DISTINCT country COLLATE "C" AS country FROM smsgw_gateway_clients ORDER BY 1')
    return rows.map(row => row.country)
  }

  async operators (country: string): Promise<string[]> {
    const { rows } = await this.#pool.query<{ operator: string }>('SELECT DISTINCT operator COLLATE "C" AS operator FROM smsgw_gateway_clients WHERE lower(country) = lower($1) ORDER BY 1', [country])
    return rows.map(row => row.operator)
  }

  async setForwarderKeyDigest (msisdn: string, digest: string | undefined): Promise<boolean> {
    if (digest !== undefined && !FORWARDER_KEY_DIGEST.test(digest)) throw new RangeError('a forwarding key digest is 64 lowercase hex digits')
    const { rowCount } = await this.#pool.query('UPDATE smsgw_gateway_clients SET forwarder_key_digest = $1 WHERE msisdn = $2', [digest ?? null, msisdn])
    return rowCount === 1
  }

  async clientOfForwarderKey (digest: string): Promise<string | undefined> {
    const { rows } = await this.#pool.query<{ msisdn: string }>('SELECT msisdn FROM smsgw_gateway_clients WHERE forwarder_key_digest = $1', [digest])
    return rows[0]?.msisdn
  }

  async recordPublished (msisdn: string, atMs: number): Promise<boolean> {
    const { rowCount } = await this.#pool.query('UPDATE smsgw_gateway_clients SET last_published_at_ms = greatest(last_published_at_ms, $1) WHERE msisdn = $2', [atMs, msisdn])
    return rowCount === 1
  }
}

class TestsTable implements ReliabilityTestStore {
  readonly #pool: RetryingPool

  constructor (pool: RetryingPool) {
    this.#pool = pool
  }

  async start (msisdn: string, atMs: number): Promise<ReliabilityTest | undefined> {
    // A retry after a lost connection finds the row of its own start_id, and returns it.
    const { rows } = await this.#pool.query<TestRow>(`INSERT INTO smsgw_reliability_tests (msisdn, status, start_time_ms, start_id)
      SELECT msisdn, 'pending', $2, $3 FROM smsgw_gateway_clients WHERE msisdn = $1
      ON CONFLICT (start_id) DO UPDATE SET start_id = excluded.start_id RETURNING ${TEST_COLUMNS}`, [msisdn, atMs, randomUUID()])
    return rows[0] === undefined ? undefined : testOf(rows[0])
  }

  async sweep (cutoffMs: number): Promise<number> {
    const { rowCount } = await this.#pool.query('UPDATE smsgw_reliability_tests SET status = \'timedout\' WHERE status IN (\'pending\', \'running\') AND start_time_ms <= $1', [cutoffMs])
    return rowCount ?? 0
  }

  async list (msisdn: string, filter: ReliabilityTestFilter, page: PageWindow): Promise<ReliabilityTestPage> {
    const parameters = [msisdn, filter.status ?? null, filter.startedFromMs ?? null, filter.startedToMs ?? null]
    const [{ rows }, totals] = await Promise.all([
      this.#pool.query<TestRow>(`SELECT ${TEST_COLUMNS} FROM smsgw_reliability_tests WHERE ${TEST_FILTER} ORDER BY id DESC LIMIT $5 OFFSET $6`, [...parameters, page.limit, page.offset]),
      this.#pool.query<{ total: string, succeeded: string, timed_out: string }>(`SELECT count(*) AS total, coalesce(sum(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END), 0) AS succeeded,
        coalesce(sum(CASE WHEN status = 'timedout' THEN 1 ELSE 0 END), 0) AS timed_out FROM smsgw_reliability_tests WHERE ${TEST_FILTER}`, parameters)
    ])
    const row = totals.rows[0]
    return { tests: rows.map(testOf), total: Number(row?.total ?? 0), succeeded: Number(row?.succeeded ?? 0), timedOut: Number(row?.timed_out ?? 0) }
  }

  /** A retry after a lost connection finds the test succeeded with its own routing time: that is this completion. */
  async complete (id: number, times: { sentAtMs: number, receivedAtMs: number, routedAtMs: number }): Promise<TestCompletion> {
    const { rows } = await this.#pool.query<{ msisdn: string }>(`UPDATE smsgw_reliability_tests SET status = 'success', sms_sent_time_ms = $1, sms_received_time_ms = $2, sms_routed_time_ms = $3
      WHERE id = $4 AND status IN ('pending', 'running') RETURNING msisdn`, [times.sentAtMs, times.receivedAtMs, times.routedAtMs, id])
    if (rows[0] !== undefined) return { outcome: 'completed', msisdn: rows[0].msisdn }
    const current = await this.#pool.query<{ msisdn: string, status: string, sms_routed_time_ms: string | null }>('SELECT msisdn, status, sms_routed_time_ms FROM smsgw_reliability_tests WHERE id = $1', [id])
    const row = current.rows[0]
    if (row === undefined) return { outcome: 'unknown' }
    if (row.status === 'success' && Number(row.sms_routed_time_ms) === times.routedAtMs) return { outcome: 'completed', msisdn: row.msisdn }
    return { outcome: 'ended', status: row.status as ReliabilityTestStatus }
  }

  async tally (msisdn: string): Promise<TestTally> {
    const { rows } = await this.#pool.query<{ tests: string, succeeded: string }>(`SELECT ${TALLY} FROM smsgw_reliability_tests WHERE msisdn = $1`, [msisdn])
    return { tests: Number(rows[0]?.tests ?? 0), succeeded: Number(rows[0]?.succeeded ?? 0) }
  }

  /**
   * A compare-and-set on the tally: the score is written only while the tests still tally as it
   * was computed from, checked in the same statement; otherwise counted again. The check alone
   * is not enough under READ COMMITTED: the statement's tally subquery reads the snapshot of its
   * start, so an UPDATE that waited for another refresh's row lock still matches the tally both
   * started from and overwrites the newer score (9 completions at once left 8 counted, seen on
   * a loaded machine). So a refresh counts again after its write and starts over until the tally
   * it wrote is still the tally: the last write is always followed by a check that holds.
   */
  async refreshReliability (msisdn: string, score: (tally: TestTally) => number): Promise<void> {
    for (;;) {
      const tally = await this.tally(msisdn)
      const { rowCount } = await this.#pool.query(`UPDATE smsgw_gateway_clients SET reliability_hundredths = $1 WHERE msisdn = $2
        AND (SELECT row(tally.tests, tally.succeeded) FROM (SELECT ${TALLY} FROM smsgw_reliability_tests WHERE msisdn = $2) AS tally) = row($3::bigint, $4::bigint)`, [score(tally), msisdn, tally.tests, tally.succeeded])
      if (tally.tests === 0) return
      if (rowCount === 1 && sameTally(await this.tally(msisdn), tally)) return
    }
  }
}

function sameTally (a: TestTally, b: TestTally): boolean {
  return a.tests === b.tests && a.succeeded === b.succeeded
}

function clientOf (row: ClientRow): GatewayClient {
  return {
    msisdn: row.msisdn,
    country: row.country,
    operator: row.operator,
    operatorCode: row.operator_code,
    protocols: protocolsOfColumn(row.protocols),
    reliabilityHundredths: row.reliability_hundredths,
    lastPublishedAtMs: Number(row.last_published_at_ms),
    hasForwarderKey: row.has_key
  }
}

function testOf (row: TestRow): ReliabilityTest {
  const optional = (value: string | null): number | undefined => value === null ? undefined : Number(value)
  return {
    id: Number(row.id),
    msisdn: row.msisdn,
    status: row.status as ReliabilityTestStatus,
    startedAtMs: Number(row.start_time_ms),
    smsSentAtMs: optional(row.sms_sent_time_ms),
    smsReceivedAtMs: optional(row.sms_received_time_ms),
    smsRoutedAtMs: optional(row.sms_routed_time_ms)
  }
}
