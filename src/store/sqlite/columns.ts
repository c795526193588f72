import assert from 'node:assert/strict'
import type { SQLOutputValue } from 'node:sqlite'
import { decodeLedgerSource, type LedgerSource } from '../../domain/ledger-record.ts'

// Rows come back from node:sqlite as records of unknown column types; these read one column as
// the type the schema gives it. A mismatch means the schema and the code disagree: a bug.

type Row = Record<string, SQLOutputValue>

export function integerColumn (row: Row, column: string): number {
  const value = row[column]
  assert.ok(typeof value === 'number' || typeof value === 'bigint', `column ${column} is not an integer`)
  return Number(value)
}

export function textColumn (row: Row, column: string): string {
  const value = row[column]
  assert.ok(typeof value === 'string', `column ${column} is not text`)
  return value
}

export function blobColumn (row: Row, column: string): Buffer {
  const value = row[column]
  assert.ok(value instanceof Uint8Array, `column ${column} is not a blob`)
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

/** A ledger source, stored as encodeLedgerSource's text (no column of its own for stream and offset: the claims topic writes that text too). */
export function ledgerSourceColumn (row: Row, column: string): LedgerSource {
  const source = decodeLedgerSource(textColumn(row, column))
  assert.ok(source !== undefined, `column ${column} is not a ledger source`)
  return source
}
