import assert from 'node:assert/strict'
import { decodeLedgerSource, encodeLedgerSource, ledgerStates, type LedgerEntry, type LedgerRecord, type LedgerSource } from '../../domain/ledger-record.ts'
import type { LedgerStore } from '../embedded-store.ts'
import { queuedSeqOf } from '../queue-source.ts'
import type { RetryingPool } from './retrying-pool.ts'

interface LedgerRow { key: string, token: string, source: string, claimed_at_ms: string, done: boolean, marks_writes: boolean, writing_at_ms: string | null }

/**
 * The request ledger's entries in PostgreSQL (table smsgw_ledger). Each record is applied in one
 * statement that is applyLedgerRecord written in SQL, so the row lock of that statement orders
 * racing records for every instance, and a record costs one round trip:
 * - a claim inserts the entry only if the key is free (ON CONFLICT DO NOTHING): the first wins;
 * - a taken-over replaces the entry only if the claim it supersedes still owns it unmarked;
 * - a writing marks the entry only if the token owns it, once;
 * - a done marks the entry only if the token owns it;
 * - a tombstone deletes the entry.
 * A lost race changes nothing and answers with the entry the winner left. Every statement can
 * run twice without harm, so a retry after a lost connection answers as the first run would.
 */
export class PostgresLedgerTable implements LedgerStore {
  readonly #pool: RetryingPool

  constructor (pool: RetryingPool) {
    this.#pool = pool
  }

  async get (key: string): Promise<LedgerEntry | undefined> {
    const { rows } = await this.#pool.query<LedgerRow>(`SELECT ${COLUMNS} FROM smsgw_ledger WHERE key = $1`, [key])
    return rows[0] === undefined ? undefined : entryOf(rows[0])
  }

  async all (): Promise<Array<{ key: string, entry: LedgerEntry }>> {
    const { rows } = await this.#pool.query<LedgerRow>(`SELECT ${COLUMNS} FROM smsgw_ledger ORDER BY key`)
    return rows.map(row => ({ key: row.key, entry: entryOf(row) }))
  }

  async apply (key: string, record: LedgerRecord | null): Promise<LedgerEntry | undefined> {
    if (record === null) {
      await this.#pool.query('DELETE FROM smsgw_ledger WHERE key = $1', [key])
      return undefined
    }
    const { rows } = await this.#pool.query<LedgerRow>(...statementOf(key, record))
    // Nothing written: a lost race, or a record from a token that does not own the key.
    return rows[0] === undefined ? await this.get(key) : entryOf(rows[0])
  }

  async count (): Promise<number> {
    const { rows } = await this.#pool.query<{ count: string }>('SELECT count(*) AS count FROM smsgw_ledger')
    return Number(rows[0]?.count ?? 0)
  }
}

const COLUMNS = 'key, token, source, claimed_at_ms, done, marks_writes, writing_at_ms'

// A claim (first or taking over) of a request of this queue ($1: its seq, null for a request
// of any other source) counts only while it is queued: an attempt that read it under a consumer
// lease since lost (and stalled, say, in a connection retry) must not claim it after the next
// holder finished it and the ledger forgot it.
const STILL_QUEUED = '($1::bigint IS NULL OR EXISTS (SELECT 1 FROM smsgw_requests WHERE seq = $1 AND state = \'queued\'))'

/** applyLedgerRecord of one record, as one statement and its parameters. */
function statementOf (key: string, record: LedgerRecord): [string, unknown[]] {
  switch (record.state) {
    case ledgerStates.claimed:
      return [`INSERT INTO smsgw_ledger (key, token, source, claimed_at_ms, done, marks_writes)
        SELECT $2, $3, $4, $5, false, $6 WHERE ${STILL_QUEUED}
        ON CONFLICT (key) DO NOTHING RETURNING ${COLUMNS}`, [queuedSeqOf(record.source) ?? null, key, record.token, encodeLedgerSource(record.source), record.atMs, record.marksWrites === true]]
    case ledgerStates.takenOver:
      return [`UPDATE smsgw_ledger SET token = $3, source = $4, claimed_at_ms = $5, marks_writes = true
        WHERE key = $2 AND token = $6 AND NOT done AND marks_writes AND writing_at_ms IS NULL AND ${STILL_QUEUED}
        RETURNING ${COLUMNS}`, [queuedSeqOf(record.source) ?? null, key, record.token, encodeLedgerSource(record.source), record.atMs, record.supersedes ?? '']]
    case ledgerStates.writing:
      return [`UPDATE smsgw_ledger SET writing_at_ms = $3 WHERE key = $1 AND token = $2 AND NOT done AND writing_at_ms IS NULL RETURNING ${COLUMNS}`,
        [key, record.token, record.atMs]]
    case ledgerStates.done:
      return [`UPDATE smsgw_ledger SET done = true WHERE key = $1 AND token = $2 RETURNING ${COLUMNS}`, [key, record.token]]
  }
}

/** The column `source` holds encodeLedgerSource's text: only this table writes it. */
function sourceOf (text: string): LedgerSource {
  const source = decodeLedgerSource(text)
  assert.ok(source !== undefined, 'column source is not a ledger source')
  return source
}

function entryOf (row: LedgerRow): LedgerEntry {
  return {
    token: row.token,
    source: sourceOf(row.source),
    claimedAtMs: Number(row.claimed_at_ms),
    done: row.done,
    ...(row.marks_writes ? { marksWrites: true } : {}),
    ...(row.writing_at_ms === null ? {} : { writingAtMs: Number(row.writing_at_ms) })
  }
}
