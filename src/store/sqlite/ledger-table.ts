import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite'
import { applyLedgerRecord, encodeLedgerSource, type LedgerEntry, type LedgerRecord } from '../../domain/ledger-record.ts'
import type { LedgerStore } from '../embedded-store.ts'
import { integerColumn, ledgerSourceColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

/**
 * The request ledger's entries (table `ledger`): the fold of its records, kept instead of the
 * records themselves. A record is applied with applyLedgerRecord inside a write transaction,
 * reading the entry there, so the database's one-writer order is the log order that decides
 * every race: the same compare-and-set the Kafka ledger gets from a partition, and it holds for
 * every process that opens the file.
 */
export class LedgerTable implements LedgerStore {
  readonly #commit: GroupCommit
  readonly #select: StatementSync
  readonly #upsert: StatementSync
  readonly #delete: StatementSync
  readonly #count: StatementSync
  readonly #all: StatementSync

  constructor (db: DatabaseSync, commit: GroupCommit) {
    this.#commit = commit
    this.#select = db.prepare('SELECT token, source, claimed_at_ms, done, marks_writes, writing_at_ms FROM ledger WHERE key = ?')
    this.#upsert = db.prepare(`INSERT INTO ledger (key, token, source, claimed_at_ms, done, marks_writes, writing_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET token = excluded.token, source = excluded.source, claimed_at_ms = excluded.claimed_at_ms, done = excluded.done,
        marks_writes = excluded.marks_writes, writing_at_ms = excluded.writing_at_ms`)
    this.#delete = db.prepare('DELETE FROM ledger WHERE key = ?')
    this.#count = db.prepare('SELECT count(*) AS count FROM ledger')
    this.#all = db.prepare('SELECT key, token, source, claimed_at_ms, done, marks_writes, writing_at_ms FROM ledger ORDER BY key')
  }

  /** The committed entry of `key`, as every process sees it. */
  get (key: string): LedgerEntry | undefined {
    const row = this.#select.get(key)
    return row === undefined ? undefined : entryOf(row)
  }

  /** Every entry, by key. The ledger holds requests in flight only: a few, not the traffic. */
  all (): Array<{ key: string, entry: LedgerEntry }> {
    return this.#all.all().map(row => ({ key: textColumn(row, 'key'), entry: entryOf(row) }))
  }

  /**
   * Applies one record (null: the tombstone) to the entry of `key`; resolves with the entry it
   * leaves, once durable. A lost race leaves the entry as it was.
   */
  async apply (key: string, record: LedgerRecord | null): Promise<LedgerEntry | undefined> {
    return await this.#commit.run(() => {
      const current = this.get(key)
      const next = applyLedgerRecord(current, record)
      if (next === current) return current
      if (next === undefined) this.#delete.run(key)
      else this.#upsert.run(key, next.token, encodeLedgerSource(next.source), next.claimedAtMs, next.done ? 1 : 0, next.marksWrites === true ? 1 : 0, next.writingAtMs ?? null)
      return next
    })
  }

  /** How many entries there are: requests claimed and not yet forgotten. */
  count (): number {
    const row = this.#count.get()
    return row === undefined ? 0 : integerColumn(row, 'count')
  }
}

function entryOf (row: Record<string, SQLOutputValue>): LedgerEntry {
  return {
    token: textColumn(row, 'token'),
    source: ledgerSourceColumn(row, 'source'),
    claimedAtMs: integerColumn(row, 'claimed_at_ms'),
    done: integerColumn(row, 'done') === 1,
    ...(integerColumn(row, 'marks_writes') === 1 ? { marksWrites: true } : {}),
    ...(row.writing_at_ms === null ? {} : { writingAtMs: integerColumn(row, 'writing_at_ms') })
  }
}
