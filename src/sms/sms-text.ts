import { SmsgwError, errorCodes } from '../errors.ts'

// The plaintext inside a sealed payload (spec §3): header lines, an empty line, the body.
//   To: +31629845432
//   Sender: ACME
//
//   Hello

/** A parsed SMS text. Holds plaintext: never log it, never persist it. */
export interface SmsText {
  /** Header values by case-sensitive name; a repeated header keeps its last value. */
  readonly headers: ReadonlyMap<string, string>
  readonly body: string
}

const LINE_BREAK = /\r\n|\r|\n/
// Java's regex from the older gateway; \w is ASCII-only in both languages.
const HEADER_LINE = /^(\w[\w-]*)\s*:\s*(.*\S)?\s*$/

/**
 * Parses SMS text. Throws SMSGW_BAD_SMS_TEXT with the contract's exact wording; the only
 * plaintext it may echo is an invalid header line, as the contract prescribes.
 */
export function parseSmsText (text: string): SmsText {
  const lines = text.split(LINE_BREAK)
  // A final line ending adds nothing: "a\n" is one line, as with Java's readLine.
  if (lines.at(-1) === '') lines.pop()
  const headers = new Map<string, string>()
  let index = 0
  for (; index < lines.length; index++) {
    const line = (lines[index] as string).trim()
    if (line === '') break
    const match = HEADER_LINE.exec(line)
    if (match === null) throw new SmsgwError(errorCodes.badSmsText, `Invalid message header: '${line}'`)
    const [, name, value] = match as unknown as [string, string, string | undefined]
    // As in the older gateway, an empty value removes the header, even one set earlier.
    if (value === undefined) headers.delete(name)
    else headers.set(name, value)
  }
  if (index >= lines.length) throw new SmsgwError(errorCodes.badSmsText, 'Invalid message: headers not terminated by empty line')
  return { headers, body: lines.slice(index + 1).join('\n') }
}

/** Writes SMS text with `\n` line endings, headers in the order given. */
export function formatSmsText (headers: Readonly<Record<string, string>>, body: string): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
  return `${lines.join('\n')}\n\n${body}`
}
