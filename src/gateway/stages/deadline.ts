import { utcDate } from '../../domain/timestamp.ts'

// Spec §2: the deadline is an ISO-8601 instant with seconds and a zone; fractions allowed.
// We take exactly what the older gateway took, java.time's Instant.parse (ISO_INSTANT, JDK 12+),
// checked against the JDK in test/gateway/stages/deadline.test.ts:
//   2100-01-01T00:00:00Z  2100-01-01t00:00:00z  2100-01-01T02:00:00.5+02:00  2100-01-01T00:00:00-05:30:15
// - date: four-digit year, or a sign and more digits (+12100; -0001; `+2100` is refused);
//   two-digit month and day, a real calendar date (proleptic Gregorian; no February 29 in 2100)
// - `T` (either case), then hh:mm:ss; seconds are required. 24:00:00 is the next day's start;
//   23:59:60 (a leap second) reads as 23:59:59
// - a fraction: `.` and up to 9 digits (none is allowed too); no comma
// - the zone: `Z` (either case), ±hh:mm or ±hh:mm:ss, at most 18 hours. Not ±hhmm, not ±hh, not
//   a region name, and nothing else before or after (no surrounding whitespace)
// One difference: instants outside a JS Date (±275760 years, as against Java's ±1e9) are refused.
const DATE = /(\d{4}|\+\d{5,10}|-\d{4,10})-(\d\d)-(\d\d)/
const TIME = /[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{0,9}))?/
const ZONE = /(?:[Zz]|([+-])(\d\d):(\d\d)(?::(\d\d))?)/
const DEADLINE = new RegExp(`^${DATE.source}${TIME.source}${ZONE.source}$`)

const MS_PER_SECOND = 1000
const MS_PER_DAY = 86_400_000
const MAX_OFFSET_SECONDS = 18 * 3600
const MIDNIGHT_END = 24
const LEAP_SECOND = 60
// Dates beyond this many milliseconds from the epoch are invalid (ECMA-262 §21.4.1.22).
const MAX_DATE_MS = 8.64e15

/**
 * The instant of a deadline text, or null when it is not one. Fractions finer than a
 * millisecond are dropped (the instant is truncated, never rounded up past the deadline).
 */
export function parseDeadline (text: string): Date | null {
  const match = DEADLINE.exec(text)
  if (match === null) return null
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction] = match
  const [sign, offsetHours, offsetMinutes, offsetSeconds] = match.slice(8)
  const hour = Number(hourText)
  const minute = Number(minuteText)
  let second = Number(secondText)
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'))
  const endOfDay = hour === MIDNIGHT_END
  if (endOfDay && (minute !== 0 || second !== 0 || !/^0*$/.test(fraction ?? ''))) return null
  // As java.time: a leap second is accepted at 23:59:60 only, and read as the second before it.
  if (second === LEAP_SECOND && hour === 23 && minute === 59) second = 59
  const local = utcDate(Number(yearText), Number(monthText), Number(dayText), endOfDay ? 0 : hour, minute, second, ms)
  if (local === null) return null
  const offsetMs = sign === undefined ? 0 : offsetOf(sign, offsetHours, offsetMinutes, offsetSeconds)
  if (Number.isNaN(offsetMs)) return null
  const instant = local.getTime() + (endOfDay ? MS_PER_DAY : 0) - offsetMs
  return Math.abs(instant) <= MAX_DATE_MS ? new Date(instant) : null
}

/** The offset in ms (east of UTC positive), or NaN when a field or the total is out of range. */
function offsetOf (sign: string, hoursText = '', minutesText = '', secondsText = '0'): number {
  const hours = Number(hoursText)
  const minutes = Number(minutesText)
  const seconds = Number(secondsText)
  const total = hours * 3600 + minutes * 60 + seconds
  if (minutes > 59 || seconds > 59 || total > MAX_OFFSET_SECONDS) return Number.NaN
  return (sign === '-' ? -total : total) * MS_PER_SECOND
}

/** True when `deadline` lies before `now` (§5 row 8, and the check again just before submitting). */
export function isPastDeadline (deadline: Date, now: Date): boolean {
  return deadline.getTime() < now.getTime()
}
