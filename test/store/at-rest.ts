import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { withAdmin } from './store-kinds.ts'

// What a store holds at rest, as bytes to search for plaintext: the tests that check that no
// number, token, payload or text is stored in clear.

/** The bytes of a SQLite store's file and its write-ahead log. */
export async function sqliteBytes (file: string): Promise<Buffer> {
  return Buffer.concat(await Promise.all([file, `${file}-wal`].filter(name => existsSync(name)).map(async name => await readFile(name))))
}

/** The values of PostgreSQL rows: bytea columns as their bytes, the others as text. */
export function rowBytes (rows: ReadonlyArray<Record<string, unknown>>): Buffer {
  return Buffer.concat(rows.flatMap(row => Object.values(row).map(value => Buffer.isBuffer(value) ? value : Buffer.from(String(value)))))
}

/** Every row of every table of a PostgreSQL store's schema, as text (bytea columns as their bytes); `table` must be among them. */
export async function postgresText (url: string, table: string): Promise<Buffer> {
  return await withAdmin(async admin => {
    const { rows: tables } = await admin.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
    const asText = (_key: string, value: unknown): unknown => (value as { type?: unknown })?.type === 'Buffer' ? Buffer.from((value as { data: number[] }).data).toString('latin1') : value
    const dumps: string[] = []
    for (const { table_name: name } of tables) dumps.push(JSON.stringify((await admin.query(`SELECT * FROM "${name}"`)).rows, asText))
    assert.ok(tables.some(({ table_name: name }) => name === table), `no table ${table}`)
    return Buffer.from(dumps.join('\n'))
  }, url)
}
