import assert from 'node:assert/strict'
import { test } from 'node:test'
import { firstValue, isoInstantMs, pythonInt } from '../../../src/relay/gateway-clients/query-values.ts'

// The query values of the registry's routes read as upstream's Python reads them (relay-wire.md
// §5.1): int() for page numbers, datetime.fromisoformat for dates, the first of repeated values.

test('pythonInt reads what Python\'s int() reads, and nothing else', () => {
  const read: Array<[string, bigint | undefined]> = [
    ['1', 1n], [' 12 ', 12n], ['+3', 3n], ['-4', -4n], ['007', 7n], ['1_000', 1000n], ['99999999999999999999', 99999999999999999999n],
    ['', undefined], ['1.0', undefined], ['1e3', undefined], ['0x10', undefined], ['1__0', undefined], ['_1', undefined], ['ten', undefined], ['1 2', undefined]
  ]
  for (const [text, value] of read) assert.equal(pythonInt(text), value, JSON.stringify(text))
})

test('isoInstantMs reads the forms of datetime.fromisoformat, naive times as UTC, and refuses impossible dates and times', () => {
  const read: Array<[string, number | undefined]> = [
    ['2024-05-27', Date.UTC(2024, 4, 27)],
    ['20240527', Date.UTC(2024, 4, 27)],
    ['2024-05-27T10:11:12', Date.UTC(2024, 4, 27, 10, 11, 12)],
    ['2024-05-27 10:11', Date.UTC(2024, 4, 27, 10, 11)],
    ['2024-05-27T10', Date.UTC(2024, 4, 27, 10)],
    ['2024-05-27T101112', Date.UTC(2024, 4, 27, 10, 11, 12)],
    ['2024-05-27T10:11:12.5', Date.UTC(2024, 4, 27, 10, 11, 12, 500)],
    ['2024-05-27T10:11:12.123456', Date.UTC(2024, 4, 27, 10, 11, 12, 123)],
    ['2024-05-27T10:11:12Z', Date.UTC(2024, 4, 27, 10, 11, 12)],
    ['2024-05-27T10:11:12+01:00', Date.UTC(2024, 4, 27, 9, 11, 12)],
    ['2024-05-27T10:11:12-0130', Date.UTC(2024, 4, 27, 11, 41, 12)],
    ['2024-05-27T10:11:12.1234567', Date.UTC(2024, 4, 27, 10, 11, 12, 123)],
    // Upstream's documented example: any one character but a digit separates date and time.
    ['2024-05-27:00:00Z', Date.UTC(2024, 4, 27)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['0001-01-01', Date.UTC(2000, 0, 1) - 730_119 * 86_400_000],
    ['2023-02-29', undefined], ['2024-13-01', undefined], ['2024-04-31', undefined], ['2024-05-27T24:00', undefined], ['2024-05-27T10:60', undefined],
    ['27-05-2024', undefined], ['2024-5-27', undefined], ['0000-01-01', undefined], ['2024-05-27T10:11:12+25:00', undefined], ['', undefined], ['yesterday', undefined]
  ]
  for (const [text, instant] of read) assert.equal(isoInstantMs(text), instant, text)
})

test('firstValue takes the first of repeated query values, as Flask\'s args.get does', () => {
  assert.deepStrictEqual([firstValue('a'), firstValue(['b', 'c']), firstValue(undefined), firstValue([])], ['a', 'b', undefined, undefined])
})
