import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from 'node:sqlite'
import {
  checkNewGatewayClient, FORWARDER_KEY_DIGEST, protocolsOfColumn, RELIABLE_ROUTING_SECONDS, type GatewayClient, type GatewayClientFilter,
  type GatewayClientRegistryStore, type GatewayClientStore, type NewGatewayClient, type PageWindow, type ReliabilityTest,
  type ReliabilityTestFilter, type ReliabilityTestPage, type ReliabilityTestStatus, type ReliabilityTestStore, type TestCompletion, type TestTally
} from '../gateway-clients.ts'
import { integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

type Row = Record<string, SQLOutputValue>

const CLIENT_COLUMNS = 'msisdn, country, operator, operator_code, protocols, reliability_hundredths, last_published_at_ms, forwarder_key_digest IS NOT NULL AS has_key'
// A filter left out is bound as NULL and keeps every row. lower() folds ASCII letters only in SQLite.
const CLIENT_FILTER = `($country IS NULL OR lower(country) = lower($country))
  AND ($operator IS NULL OR instr(lower(operator), lower($operator)) > 0)
  AND ($protocols IS NULL OR instr(lower(protocols), lower($protocols)) > 0)
  AND ($from IS NULL OR (last_published_at_ms >= $from AND last_published_at_ms < $to))`
const TEST_COLUMNS = 'id, msisdn, status, start_time_ms, sms_sent_time_ms, sms_received_time_ms, sms_routed_time_ms'
const TEST_FILTER = `msisdn = $msisdn AND ($status IS NULL OR status = $status)
  AND ($from IS NULL OR start_time_ms >= $from) AND ($to IS NULL OR start_time_ms <= $to)`
// Whole seconds, as upstream subtracts Unix timestamps; integer division in SQLite.
const SUCCEEDED = `status = 'success' AND sms_routed_time_ms IS NOT NULL
  AND sms_routed_time_ms / 1000 - sms_received_time_ms / 1000 <= ${RELIABLE_ROUTING_SECONDS}`

/** The gateway-client registry (tables gateway_clients and reliability_tests, src/store/gateway-clients.ts); writes in the group commit. */
export class GatewayClientsTables implements GatewayClientRegistryStore {
  readonly clients: GatewayClientStore
  readonly tests: ReliabilityTestStore

  constructor (db: DatabaseSync, commit: GroupCommit) {
    this.clients = new ClientsTable(db, commit)
    this.tests = new TestsTable(db, commit)
  }
}

class ClientsTable implements GatewayClientStore {
  readonly #commit: GroupCommit
  readonly #add: StatementSync
  readonly #removeTests: StatementSync
  readonly #remove: StatementSync
  readonly #get: StatementSync
  readonly #list: StatementSync
  readonly #count: StatementSync
  readonly #countries: StatementSync
  readonly #operators: StatementSync
  readonly #setKey: StatementSync
  readonly #ofKey: StatementSync
  readonly #published: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit) {
    this.#commit = commit
    this.#add = db.prepare(`INSERT INTO gateway_clients (msisdn, country, operator, operator_code, protocols, reliability_hundredths, last_published_at_ms)
      VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (msisdn) DO NOTHING`)
    this.#removeTests = db.prepare('DELETE FROM reliability_tests WHERE msisdn = ?')
    this.#remove = db.prepare('DELETE FROM gateway_clients WHERE msisdn = ?')
    this.#get = db.prepare(`SELECT ${CLIENT_COLUMNS} FROM gateway_clients WHERE msisdn = ?`)
    this.#list = db.prepare(`SELECT ${CLIENT_COLUMNS} FROM gateway_clients WHERE ${CLIENT_FILTER} ORDER BY msisdn LIMIT $limit OFFSET $offset`)
    this.#count = db.prepare(`SELECT count(*) AS total FROM gateway_clients WHERE ${CLIENT_FILTER}`)
    this.#countries = db.prepare('SELECT DISTINCT country FROM gateway_clients ORDER BY country')
    this.#operators = db.prepare('SELECT DISTINCT operator FROM gateway_clients WHERE lower(country) = lower(?) ORDER BY operator')
    this.#setKey = db.prepare('UPDATE gateway_clients SET forwarder_key_digest = ? WHERE msisdn = ?')
    this.#ofKey = db.prepare('SELECT msisdn FROM gateway_clients WHERE forwarder_key_digest = ?')
    this.#published = db.prepare('UPDATE gateway_clients SET last_published_at_ms = max(last_published_at_ms, ?) WHERE msisdn = ?')
  }

  async add (client: NewGatewayClient): Promise<boolean> {
    checkNewGatewayClient(client)
    return await this.#commit.run(() => Number(this.#add.run(client.msisdn, client.country, client.operator, client.operatorCode, client.protocols.join(','), client.registeredAtMs).changes) === 1)
  }

  async remove (msisdn: string): Promise<boolean> {
    return await this.#commit.run(() => {
      this.#removeTests.run(msisdn)
      return Number(this.#remove.run(msisdn).changes) === 1
    })
  }

  get (msisdn: string): GatewayClient | undefined {
    const row = this.#get.get(msisdn)
    return row === undefined ? undefined : clientOf(row)
  }

  list (filter: GatewayClientFilter, page: PageWindow): { clients: GatewayClient[], total: number } {
    const parameters = clientFilterParameters(filter)
    return {
      clients: this.#list.all({ ...parameters, limit: page.limit, offset: page.offset }).map(clientOf),
      total: integerColumn(this.#count.get(parameters) as Row, 'total')
    }
  }

  countries (): string[] {
    return this.#countries.all().map(row => textColumn(row, 'country'))
  }

  operators (country: string): string[] {
    return this.#operators.all(country).map(row => textColumn(row, 'operator'))
  }

  async setForwarderKeyDigest (msisdn: string, digest: string | undefined): Promise<boolean> {
    if (digest !== undefined && !FORWARDER_KEY_DIGEST.test(digest)) throw new RangeError('a forwarding key digest is 64 lowercase hex digits')
    return await this.#commit.run(() => Number(this.#setKey.run(digest ?? null, msisdn).changes) === 1)
  }

  clientOfForwarderKey (digest: string): string | undefined {
    const row = this.#ofKey.get(digest)
    return row === undefined ? undefined : textColumn(row, 'msisdn')
  }

  async recordPublished (msisdn: string, atMs: number): Promise<boolean> {
    return await this.#commit.run(() => Number(this.#published.run(atMs, msisdn).changes) === 1)
  }
}

class TestsTable implements ReliabilityTestStore {
  readonly #commit: GroupCommit
  readonly #start: StatementSync
  readonly #sweep: StatementSync
  readonly #page: StatementSync
  readonly #totals: StatementSync
  readonly #complete: StatementSync
  readonly #status: StatementSync
  readonly #tally: StatementSync
  readonly #reliability: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit) {
    this.#commit = commit
    this.#start = db.prepare(`INSERT INTO reliability_tests (msisdn, status, start_time_ms)
      SELECT msisdn, 'pending', ? FROM gateway_clients WHERE msisdn = ? RETURNING ${TEST_COLUMNS}`)
    this.#sweep = db.prepare('UPDATE reliability_tests SET status = \'timedout\' WHERE status IN (\'pending\', \'running\') AND start_time_ms <= ?')
    this.#page = db.prepare(`SELECT ${TEST_COLUMNS} FROM reliability_tests WHERE ${TEST_FILTER} ORDER BY id DESC LIMIT $limit OFFSET $offset`)
    this.#totals = db.prepare(`SELECT count(*) AS total, coalesce(sum(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END), 0) AS succeeded,
      coalesce(sum(CASE WHEN status = 'timedout' THEN 1 ELSE 0 END), 0) AS timed_out FROM reliability_tests WHERE ${TEST_FILTER}`)
    this.#complete = db.prepare(`UPDATE reliability_tests SET status = 'success', sms_sent_time_ms = ?, sms_received_time_ms = ?, sms_routed_time_ms = ?
      WHERE id = ? AND status IN ('pending', 'running') RETURNING msisdn`)
    this.#status = db.prepare('SELECT status FROM reliability_tests WHERE id = ?')
    this.#tally = db.prepare(`SELECT count(*) AS tests, coalesce(sum(CASE WHEN ${SUCCEEDED} THEN 1 ELSE 0 END), 0) AS succeeded FROM reliability_tests WHERE msisdn = ?`)
    this.#reliability = db.prepare('UPDATE gateway_clients SET reliability_hundredths = ? WHERE msisdn = ?')
  }

  async start (msisdn: string, atMs: number): Promise<ReliabilityTest | undefined> {
    return await this.#commit.run(() => {
      const row = this.#start.get(atMs, msisdn)
      return row === undefined ? undefined : testOf(row)
    })
  }

  async sweep (cutoffMs: number): Promise<number> {
    return await this.#commit.run(() => Number(this.#sweep.run(cutoffMs).changes))
  }

  list (msisdn: string, filter: ReliabilityTestFilter, page: PageWindow): ReliabilityTestPage {
    const parameters: Record<string, SQLInputValue> = { msisdn, status: filter.status ?? null, from: filter.startedFromMs ?? null, to: filter.startedToMs ?? null }
    const totals = this.#totals.get(parameters) as Row
    return {
      tests: this.#page.all({ ...parameters, limit: page.limit, offset: page.offset }).map(testOf),
      total: integerColumn(totals, 'total'),
      succeeded: integerColumn(totals, 'succeeded'),
      timedOut: integerColumn(totals, 'timed_out')
    }
  }

  async complete (id: number, times: { sentAtMs: number, receivedAtMs: number, routedAtMs: number }): Promise<TestCompletion> {
    return await this.#commit.run(() => {
      const completed = this.#complete.get(times.sentAtMs, times.receivedAtMs, times.routedAtMs, id)
      if (completed !== undefined) return { outcome: 'completed', msisdn: textColumn(completed, 'msisdn') }
      const row = this.#status.get(id)
      return row === undefined ? { outcome: 'unknown' } : { outcome: 'ended', status: textColumn(row, 'status') as ReliabilityTestStatus }
    })
  }

  tally (msisdn: string): TestTally {
    const row = this.#tally.get(msisdn) as Row
    return { tests: integerColumn(row, 'tests'), succeeded: integerColumn(row, 'succeeded') }
  }

  /** The tally and the write in one transaction of the group commit: no change of the tests comes between. */
  async refreshReliability (msisdn: string, score: (tally: TestTally) => number): Promise<void> {
    await this.#commit.run(() => { this.#reliability.run(score(this.tally(msisdn)), msisdn) })
  }
}

function clientFilterParameters (filter: GatewayClientFilter): Record<string, SQLInputValue> {
  return {
    country: filter.country ?? null,
    operator: filter.operator ?? null,
    protocols: filter.protocols ?? null,
    from: filter.lastPublished?.fromMs ?? null,
    to: filter.lastPublished?.toMs ?? null
  }
}

function clientOf (row: Row): GatewayClient {
  return {
    msisdn: textColumn(row, 'msisdn'),
    country: textColumn(row, 'country'),
    operator: textColumn(row, 'operator'),
    operatorCode: textColumn(row, 'operator_code'),
    protocols: protocolsOfColumn(textColumn(row, 'protocols')),
    reliabilityHundredths: integerColumn(row, 'reliability_hundredths'),
    lastPublishedAtMs: integerColumn(row, 'last_published_at_ms'),
    hasForwarderKey: integerColumn(row, 'has_key') === 1
  }
}

function testOf (row: Row): ReliabilityTest {
  const optional = (column: string): number | undefined => row[column] === null ? undefined : integerColumn(row, column)
  return {
    id: integerColumn(row, 'id'),
    msisdn: textColumn(row, 'msisdn'),
    status: textColumn(row, 'status') as ReliabilityTestStatus,
    startedAtMs: integerColumn(row, 'start_time_ms'),
    smsSentAtMs: optional('sms_sent_time_ms'),
    smsReceivedAtMs: optional('sms_received_time_ms'),
    smsRoutedAtMs: optional('sms_routed_time_ms')
  }
}
