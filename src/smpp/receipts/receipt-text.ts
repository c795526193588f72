// The delivery receipt text of SMPP 3.4 Appendix B, in the short_message of a deliver_sm with
// the receipt flag in esm_class:
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD
//   err:E text: . . . . . . . .
// The appendix calls the format vendor-specific, and SMSCs vary it: field names in any case
// (`Text:`), spaces around the colon, seconds in the dates, fields left out, ids with letters.

/** A receipt date as the SMSC wrote it, in the SMSC's own (unstated) time zone. */
export interface ReceiptDate {
  readonly year: number
  /** 1–12. */
  readonly month: number
  /** 1–31. */
  readonly day: number
  readonly hour: number
  readonly minute: number
  /** 0 when the SMSC sent no seconds. */
  readonly second: number
}

/** The fields of a receipt text; only `id` is always present. */
export interface ReceiptFields {
  /** The message id, as written; normalise it before looking it up (`normaliseMessageId`). */
  readonly id: string
  /** Parts submitted (`sub:`), when it is a number. */
  readonly sub?: number
  /** Parts delivered (`dlvrd:`), when it is a number. */
  readonly dlvrd?: number
  readonly submitDate?: ReceiptDate
  readonly doneDate?: ReceiptDate
  /** The final state, as written (`DELIVRD`, `UNDELIV`, …); `receiptStatus` maps it. */
  readonly stat?: string
  /** The network error code, as written (often `000`). */
  readonly err?: string
  /**
   * The start of the original message (`text:`, up to 20 characters by the appendix). This is
   * plaintext of the message body: never log it, never persist it.
   */
  readonly text?: string
}

type FieldName = 'id' | 'sub' | 'dlvrd' | 'submitDate' | 'doneDate' | 'stat' | 'err' | 'text'

// A field name starts the text or follows white space, and is followed by a colon (spaces
// allowed before it). `text:` runs to the end: the message's own words may look like fields.
const FIELD_NAME = /(?<=^|\s)(id|sub|dlvrd|submit[\s_-]*date|done[\s_-]*date|stat|err|text)\s*:/giu
const DIGITS = /^[0-9]+$/
const TRAILING_NULS = /\0+$/u

/**
 * Parses a delivery receipt text. Returns null when it is not one: it needs a non-empty `id:`
 * and at least one of `sub:`, `dlvrd:`, `submit date:`, `done date:`, `stat:` and `err:`.
 * A repeated field keeps its first value; a count or date that does not parse is left out.
 * Never throws.
 */
export function parseReceiptText (text: string): ReceiptFields | null {
  if (typeof text !== 'string') return null
  const values = rawFields(text.replace(TRAILING_NULS, ''))
  const id = values.get('id')
  if (id === undefined || id === '') return null
  const hasReceiptField = (['sub', 'dlvrd', 'submitDate', 'doneDate', 'stat', 'err'] as const).some(name => values.has(name))
  if (!hasReceiptField) return null
  const sub = parseCount(values.get('sub'))
  const dlvrd = parseCount(values.get('dlvrd'))
  const submitDate = parseReceiptDate(values.get('submitDate'))
  const doneDate = parseReceiptDate(values.get('doneDate'))
  const stat = values.get('stat')
  const err = values.get('err')
  const messageText = values.get('text')
  return {
    id,
    ...(sub === undefined ? {} : { sub }),
    ...(dlvrd === undefined ? {} : { dlvrd }),
    ...(submitDate === undefined ? {} : { submitDate }),
    ...(doneDate === undefined ? {} : { doneDate }),
    ...(stat === undefined ? {} : { stat }),
    ...(err === undefined ? {} : { err }),
    ...(messageText === undefined ? {} : { text: messageText })
  }
}

/** Field → trimmed value, each value running to the next field name. */
function rawFields (text: string): Map<FieldName, string> {
  const values = new Map<FieldName, string>()
  const matches = [...text.matchAll(FIELD_NAME)]
  for (let index = 0; index < matches.length; index++) {
    const match = matches[index] as RegExpExecArray
    const name = fieldName(match[1] as string)
    const start = match.index + match[0].length
    const end = name === 'text' ? text.length : matches[index + 1]?.index ?? text.length
    if (!values.has(name)) values.set(name, text.slice(start, end).trim())
    if (name === 'text') break
  }
  return values
}

function fieldName (written: string): FieldName {
  const lower = written.toLowerCase()
  if (lower.startsWith('submit')) return 'submitDate'
  if (lower.startsWith('done')) return 'doneDate'
  return lower as FieldName
}

function parseCount (value: string | undefined): number | undefined {
  if (value === undefined || !DIGITS.test(value)) return undefined
  return Number.parseInt(value, 10)
}

/**
 * A receipt date: `YYMMDDhhmm`, `YYMMDDhhmmss` (years 2000–2099) or `YYYYMMDDhhmmss`; undefined
 * for anything else, a 13th month or a 30th of February included.
 */
export function parseReceiptDate (value: string | undefined): ReceiptDate | undefined {
  if (value === undefined || !DIGITS.test(value)) return undefined
  let digits = value
  if (digits.length === 10 || digits.length === 12) digits = `20${digits}`
  if (digits.length === 12) digits += '00'
  else if (digits.length !== 14) return undefined
  const field = (start: number, end: number): number => Number.parseInt(digits.slice(start, end), 10)
  const date = {
    year: field(0, 4),
    month: field(4, 6),
    day: field(6, 8),
    hour: field(8, 10),
    minute: field(10, 12),
    second: field(12, 14)
  }
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) return undefined
  if (date.hour > 23 || date.minute > 59 || date.second > 59) return undefined
  return date
}

function daysInMonth (year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** The instant of `date` for an SMSC whose clock runs `utcOffsetMinutes` ahead of UTC. */
export function receiptDateToDate (date: ReceiptDate, utcOffsetMinutes = 0): Date {
  const instant = new Date(Date.UTC(2000, date.month - 1, date.day, date.hour, date.minute, date.second))
  // Date.UTC reads years 0–99 as 1900–1999; setting the year afterwards does not.
  instant.setUTCFullYear(date.year, date.month - 1, date.day)
  return new Date(instant.getTime() - utcOffsetMinutes * 60_000)
}
