import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatTimestamp, parseTimestamp, utcDate } from '../../src/domain/timestamp.ts'

// Expected texts are what Java's Instant.truncatedTo(ChronoUnit.SECONDS).toString() prints (JDK 17).
const formatted: ReadonlyArray<readonly [iso: string, text: string]> = [
  ['2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00Z'],
  ['2026-11-21T10:00:00.999Z', '2026-11-21T10:00:00Z'],
  ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z'],
  ['1969-12-31T23:59:59.500Z', '1969-12-31T23:59:59Z'],
  ['0042-03-04T05:06:07.000Z', '0042-03-04T05:06:07Z'],
  ['+010000-01-01T00:00:00.000Z', '+10000-01-01T00:00:00Z'],
  ['-000002-12-31T00:00:00.000Z', '-0002-12-31T00:00:00Z']
]

for (const [iso, text] of formatted) {
  test(`formatTimestamp writes ${iso} as ${text}`, () => {
    assert.equal(formatTimestamp(new Date(iso)), text)
  })
}

test('formatTimestamp truncates towards the past when the instant lies before 1970 with milliseconds', () => {
  assert.equal(formatTimestamp(new Date(-1)), '1969-12-31T23:59:59Z')
})

test('formatTimestamp refuses an invalid Date as a programming error', () => {
  assert.throws(() => formatTimestamp(new Date(Number.NaN)), { code: 'ERR_ASSERTION' })
})

for (const [, text] of formatted) {
  test(`parseTimestamp reads back ${text}`, () => {
    assert.equal(formatTimestamp(parseTimestamp(text) ?? new Date(Number.NaN)), text)
  })
}

for (const text of [
  '2026-11-21T10:00:00.000Z', '2026-11-21T10:00:00+00:00', '2026-11-21T10:00:00', '2026-11-21 10:00:00Z', '2026-02-30T10:00:00Z',
  '2026-11-21T24:00:00Z', '+2026-11-21T10:00:00Z', '-0000-01-01T00:00:00Z', '2026-11-21t10:00:00z', ' 2026-11-21T10:00:00Z', ''
]) {
  test(`parseTimestamp returns null when the text is ${JSON.stringify(text)}`, () => {
    assert.equal(parseTimestamp(text), null)
  })
}

test('utcDate takes years 0 to 99 as they are, unlike Date.UTC', () => {
  assert.equal(utcDate(99, 12, 31, 23, 59, 59, 999)?.toISOString(), '0099-12-31T23:59:59.999Z')
})

test('utcDate returns null when a field rolls over into the next one', () => {
  assert.deepEqual(
    [utcDate(2100, 2, 29, 0, 0, 0, 0), utcDate(2026, 13, 1, 0, 0, 0, 0), utcDate(2026, 1, 0, 0, 0, 0, 0), utcDate(2026, 1, 1, 24, 0, 0, 0), utcDate(2026, 1, 1, 0, 0, 0, 1000)],
    [null, null, null, null, null]
  )
})

test('utcDate returns null when the instant lies outside the range of a Date', () => {
  assert.equal(utcDate(275760, 9, 13, 0, 0, 0, 1), null)
  assert.equal(utcDate(275760, 9, 13, 0, 0, 0, 0)?.getTime(), 8.64e15)
})
