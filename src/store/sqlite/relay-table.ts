import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite'
import {
  changedColumns, checkNewRelayAccount, checkRelayAccountChanges, newRelayAccountRow, relayAccountColumns, relayAccountOf,
  type NewRelayAccount, type RelayAccount, type RelayAccountChanges, type RelayAccountStore
} from '../relay-accounts.ts'
import { blobColumn, integerColumn, textColumn } from './columns.ts'
import type { GroupCommit } from './group-commit.ts'

const COLUMNS = relayAccountColumns.join(', ')

/**
 * The relay vault's accounts (table relay_entities, src/store/relay-accounts.ts). An update's
 * compare-and-set runs inside the group commit's write transaction (BEGIN IMMEDIATE): SQLite's one
 * writer at a time, across every process that opens the file, is the lock.
 */
export class RelayTable implements RelayAccountStore {
  readonly #db: DatabaseSync
  readonly #commit: GroupCommit
  readonly #now: () => number
  readonly #insert: StatementSync
  readonly #select: StatementSync
  readonly #selectByDevice: StatementSync
  readonly #entityIdByDevice: StatementSync
  readonly #delete: StatementSync
  readonly #idsAfter: StatementSync
  readonly #count: StatementSync
  /** One prepared UPDATE per set of changed columns: a handful of shapes in practice. */
  readonly #updates = new Map<string, StatementSync>()

  constructor (db: DatabaseSync, commit: GroupCommit, now: () => number) {
    this.#db = db
    this.#commit = commit
    this.#now = now
    this.#insert = db.prepare(`INSERT INTO relay_entities (${COLUMNS}) VALUES (${relayAccountColumns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`)
    this.#select = db.prepare(`SELECT ${COLUMNS} FROM relay_entities WHERE entity_id = ?`)
    this.#selectByDevice = db.prepare(`SELECT ${COLUMNS} FROM relay_entities WHERE device_lookup = ?`)
    // The index on device_lookup holds the rowid only; entity_id is read from the row, but none of
    // the seven blobs is copied out (~5 µs against ~16 µs for the whole row, CPU per call).
    this.#entityIdByDevice = db.prepare('SELECT entity_id FROM relay_entities WHERE device_lookup = ?')
    this.#delete = db.prepare('DELETE FROM relay_entities WHERE entity_id = ?')
    this.#idsAfter = db.prepare('SELECT entity_id FROM relay_entities WHERE entity_id > ? ORDER BY entity_id LIMIT ?')
    this.#count = db.prepare('SELECT count(*) AS count FROM relay_entities')
  }

  async create (account: NewRelayAccount): Promise<boolean> {
    checkNewRelayAccount(account)
    const atMs = this.#now()
    return await this.#commit.run(() => {
      const { changes } = this.#insert.run(...newRelayAccountRow(account, atMs))
      return Number(changes) === 1
    })
  }

  get (entityId: string): RelayAccount | undefined {
    const row = this.#select.get(entityId)
    return row === undefined ? undefined : accountOf(row)
  }

  findByDeviceLookup (deviceLookup: string): RelayAccount | undefined {
    const row = this.#selectByDevice.get(deviceLookup)
    return row === undefined ? undefined : accountOf(row)
  }

  entityIdByDeviceLookup (deviceLookup: string): string | undefined {
    const row = this.#entityIdByDevice.get(deviceLookup)
    return row === undefined ? undefined : textColumn(row, 'entity_id')
  }

  async update (entityId: string, expectedVersion: number | undefined, changes: RelayAccountChanges): Promise<number | undefined> {
    checkRelayAccountChanges(changes)
    const set = changedColumns(changes)
    const statement = this.#updateStatement(set.map(([column]) => column), expectedVersion !== undefined)
    const atMs = this.#now()
    const where = expectedVersion === undefined ? [entityId] : [entityId, expectedVersion]
    return await this.#commit.run(() => {
      const row = statement.get(...set.map(([, value]) => value), atMs, ...where)
      return row === undefined ? undefined : integerColumn(row, 'state_version')
    })
  }

  async remove (entityId: string): Promise<boolean> {
    return await this.#commit.run(() => Number(this.#delete.run(entityId).changes) === 1)
  }

  entityIdsAfter (afterId: string, limit: number): string[] {
    return this.#idsAfter.all(afterId, limit).map(row => textColumn(row, 'entity_id'))
  }

  count (): number {
    const row = this.#count.get()
    return row === undefined ? 0 : integerColumn(row, 'count')
  }

  #updateStatement (columns: readonly string[], compared: boolean): StatementSync {
    const key = `${columns.join(',')}${compared ? '' : ' whatever the version'}`
    let statement = this.#updates.get(key)
    if (statement === undefined) {
      const assignments = [...columns.map(column => `${column} = ?`), 'state_version = state_version + 1', 'updated_at_ms = ?'].join(', ')
      statement = this.#db.prepare(`UPDATE relay_entities SET ${assignments} WHERE entity_id = ?${compared ? ' AND state_version = ?' : ''} RETURNING state_version`)
      this.#updates.set(key, statement)
    }
    return statement
  }
}

function accountOf (row: Record<string, SQLOutputValue>): RelayAccount {
  return relayAccountOf({ text: column => textColumn(row, column), integer: column => integerColumn(row, column), bytes: column => blobColumn(row, column) })
}
