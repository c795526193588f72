import assert from 'node:assert/strict'

// §4: a status timestamp is UTC, whole seconds, `Z`, as the older gateway wrote it with Java's
// Instant.truncatedTo(SECONDS).toString(): four-digit years, `+` before years past 9999 and
// `-` before negative ones (0 is year 0000, 1 BC).

const MS_PER_SECOND = 1000
const TIMESTAMP = /^([+-]\d{4,6}|\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/

const twoDigits = (value: number): string => value < 10 ? `0${value}` : String(value)

function formatYear (year: number): string {
  if (year > 9999) return `+${year}`
  if (year < 0) return `-${String(-year).padStart(4, '0')}`
  return String(year).padStart(4, '0')
}

/**
 * Writes `date` as a status timestamp, e.g. `2026-11-21T10:00:00Z`; milliseconds are dropped
 * (truncated towards the past, as Java's truncatedTo does). An invalid Date is a caller's bug.
 */
export function formatTimestamp (date: Date): string {
  assert.ok(Number.isFinite(date.getTime()), 'a status timestamp must be a valid Date')
  const whole = wholeSecondOf(date)
  return `${formatYear(whole.getUTCFullYear())}-${twoDigits(whole.getUTCMonth() + 1)}-${twoDigits(whole.getUTCDate())}T${twoDigits(whole.getUTCHours())}:${twoDigits(whole.getUTCMinutes())}:${twoDigits(whole.getUTCSeconds())}Z`
}

/** `date` without its milliseconds, truncated towards the past: the instant a status timestamp of it names. */
export function wholeSecondOf (date: Date): Date {
  return new Date(Math.floor(date.getTime() / MS_PER_SECOND) * MS_PER_SECOND)
}

/**
 * Reads a status timestamp in exactly the form formatTimestamp writes; null for anything else,
 * including fractions, offsets and impossible dates such as February 30.
 */
export function parseTimestamp (text: string): Date | null {
  const match = TIMESTAMP.exec(text)
  if (match === null) return null
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number)
  const date = utcDate(year, month, day, hour, minute, second, 0)
  // The round trip rejects what Java would not write, such as `+2100` or `-0000`.
  return date !== null && formatTimestamp(date) === text ? date : null
}

/**
 * The UTC instant of calendar fields (month 1–12), or null when a field is out of range
 * (February 30, hour 24, minute 60) or the instant lies outside the range of a Date.
 * Unlike Date.UTC, years 0–99 are not taken as 1900–1999.
 */
export function utcDate (
  year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number
): Date | null {
  const inDay = (value: number, limit: number): boolean => value >= 0 && value <= limit
  if (!inDay(hour, 23) || !inDay(minute, 59) || !inDay(second, 59) || !inDay(ms, 999)) return null
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, ms)
  if (Number.isNaN(date.getTime())) return null
  // Date rolls over (February 30 becomes March 2); a rolled-over date is not the one asked for.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return date
}
