/**
 * A reader for Java `.properties` text, as the older gateway's Spring Boot read its
 * `application*.properties`: the syntax of java.util.Properties#load(Reader), with Spring Boot's
 * habit of trimming keys and values. Pure: text in, entries and problems out; it never throws.
 */

export interface PropertyEntry {
  readonly key: string
  readonly value: string
  /** 1-based line on which the entry starts. */
  readonly line: number
}

export interface PropertiesProblem {
  readonly line: number
  readonly problem: string
}

export interface ParsedProperties {
  /** In file order; a key given twice appears twice (the later one wins, as in Java). */
  readonly entries: readonly PropertyEntry[]
  readonly problems: readonly PropertiesProblem[]
}

/** Java's whitespace around keys and values: space, tab, form feed. */
const LEADING_WHITESPACE = /^[ \t\f]+/

function isWhitespace (character: string | undefined): boolean {
  return character === ' ' || character === '\t' || character === '\f'
}

function isSeparator (character: string | undefined): boolean {
  return character === '=' || character === ':'
}

/** An odd number of backslashes at the end continues the line; an even number are escaped backslashes. */
function continues (line: string): boolean {
  let count = 0
  for (let index = line.length - 1; index >= 0 && line[index] === '\\'; index--) count++
  return count % 2 === 1
}

const simpleEscapes: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' }
const HEX4 = /^[0-9A-Fa-f]{4}$/

/** Resolves `\t \n \r \f \uXXXX` and `\<any>` (= that character). Returns undefined on a malformed `\u`. */
function unescape (text: string): string | undefined {
  let result = ''
  for (let index = 0; index < text.length; index++) {
    const character = text[index] ?? ''
    if (character !== '\\') {
      result += character
      continue
    }
    const next = text[++index]
    if (next === undefined) break
    if (next === 'u') {
      const hex = text.slice(index + 1, index + 5)
      if (!HEX4.test(hex)) return undefined
      result += String.fromCharCode(Number.parseInt(hex, 16))
      index += 4
    } else {
      result += simpleEscapes[next] ?? next
    }
  }
  return result
}

/**
 * Reads the logical lines of `text`: natural lines with leading whitespace removed, blank lines
 * and comments (`#` or `!` first) skipped, lines ending in an unescaped backslash joined to the
 * next (whose leading whitespace goes too; a joined line is never a comment).
 */
function * logicalLines (text: string): Generator<{ text: string, line: number }> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let index = 0
  while (index < lines.length) {
    const line = index + 1
    let current = (lines[index++] ?? '').replace(LEADING_WHITESPACE, '')
    if (current === '' || current.startsWith('#') || current.startsWith('!')) continue
    // As in Java, backslashes are counted on each natural line by itself.
    const parts: string[] = []
    while (continues(current)) {
      parts.push(current.slice(0, -1))
      current = index < lines.length ? (lines[index++] ?? '').replace(LEADING_WHITESPACE, '') : ''
    }
    parts.push(current)
    yield { text: parts.join(''), line }
  }
}

/**
 * Splits a logical line into raw key and value: the key ends at the first unescaped `=`, `:`
 * or whitespace; whitespace, then at most one `=` or `:`, then whitespace separate it from the
 * value (`key=value`, `key: value`, `key value`).
 */
function splitEntry (logical: string): { key: string, value: string } {
  let index = 0
  while (index < logical.length) {
    const character = logical[index]
    if (character === '\\') {
      index += 2
      continue
    }
    if (isSeparator(character) || isWhitespace(character)) break
    index++
  }
  const key = logical.slice(0, index)
  while (isWhitespace(logical[index])) index++
  if (isSeparator(logical[index])) index++
  while (isWhitespace(logical[index])) index++
  return { key, value: logical.slice(index) }
}

/** Parses the text of a `.properties` file. */
export function parseProperties (text: string): ParsedProperties {
  const entries: PropertyEntry[] = []
  const problems: PropertiesProblem[] = []
  for (const { text: logical, line } of logicalLines(text)) {
    const raw = splitEntry(logical)
    const key = unescape(raw.key)
    const value = unescape(raw.value)
    if (key === undefined || value === undefined) {
      problems.push({ line, problem: 'malformed \\uXXXX escape' })
      continue
    }
    // Spring Boot drops entries without a key and trims what Java's Properties would keep.
    if (key.trim() === '') continue
    entries.push({ key: key.trim(), value: value.trim(), line })
  }
  return { entries, problems }
}

/**
 * Decodes the bytes of a `.properties` file. Java reads these files as ISO-8859-1 (non-Latin
 * text written as `\uXXXX`); files written in UTF-8 are common too, so UTF-8 is tried first.
 */
export function decodePropertiesText (bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    // Buffer's latin1 is ISO-8859-1 proper; TextDecoder's 'latin1' is windows-1252.
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  }
}
