// Query values read as the upstream Gateway Server (Python 3.14, Flask) reads them, so a client
// gets the same answer (relay-wire.md §5.1): `int(text)` for page numbers, and
// `datetime.fromisoformat(text)` for dates.

/** A query parameter's first value, as Flask's `request.args.get` gives it; undefined when absent. */
export function firstValue (value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : undefined
}

// Python's int(): surrounding whitespace, a sign, ASCII digits with single underscores between them.
const PYTHON_INT = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/

/** The integer Python's int() reads in `text`, or undefined where int() raises ValueError. */
export function pythonInt (text: string): bigint | undefined {
  const match = PYTHON_INT.exec(text)
  if (match === null) return undefined
  const magnitude = BigInt((match[2] as string).replaceAll('_', ''))
  return match[1] === '-' ? -magnitude : magnitude
}

// datetime.fromisoformat (Python 3.11 and later): a calendar date, extended (2024-05-27) or basic
// (20240527); then optionally a separator (any one character but a digit, as in Python) and a time of hours, minutes, seconds and a fraction,
// extended or basic, a fraction of any length (read to the millisecond); then optionally a space
// and Z or an offset. ISO week dates (2024-W22-1) are not read.
const ISO_DATE_TIME = new RegExp(
  '^(\\d{4})-?(\\d{2})-?(\\d{2})' +
  '(?:[^0-9](\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d+))?)?)?' +
  ' ?(Z|[+-]\\d{2}(?::?\\d{2}(?::?\\d{2}(?:\\.\\d{1,6})?)?)?)?)?$')

/**
 * The instant (Unix ms) `text` names, as datetime.fromisoformat reads it; a time without an
 * offset is UTC (the store keeps UTC; upstream's server clock is its local time). Undefined where
 * fromisoformat raises ValueError: an impossible date or time is refused, as Python refuses it.
 */
export function isoInstantMs (text: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text)
  if (match === null) return undefined
  // A mixed form (extended date, basic time) is read too; Python is lenient in the same way.
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map(part => part === undefined ? undefined : Number(part))
  const fractionMs = match[7] === undefined ? 0 : Number(match[7].slice(0, 3).padEnd(3, '0'))
  if (year === undefined || month === undefined || day === undefined || year < 1) return undefined
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const local = Date.UTC(year, month - 1, day, hour, minute, second, fractionMs)
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  const instant = new Date(local)
  instant.setUTCFullYear(year)
  const offsetMs = offsetOf(match[8])
  return offsetMs === undefined ? undefined : instant.getTime() - offsetMs
}

function offsetOf (text: string | undefined): number | undefined {
  if (text === undefined || text === 'Z') return 0
  const digits = text.slice(1).replaceAll(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2, 4) || '0')
  const seconds = Number(digits.slice(4) || '0')
  if (hours > 23 || minutes > 59 || seconds >= 60) return undefined
  return (text.startsWith('-') ? -1 : 1) * ((hours * 60 + minutes) * 60 + seconds) * 1000
}

function daysInMonth (year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0)
}

function isLeapYear (year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
}
