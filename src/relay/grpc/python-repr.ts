// Python's repr() of a str, as upstream's texts print values inside a dict's str() (DeleteEntity's
// FAILED_PRECONDITION, relay-wire.md §4): single quotes, unless the text holds a single quote and
// no double quote; the backslash, that quote, \n, \r and \t escaped; every other character Python
// deems unprintable (categories C* and Z* but the space, per the Unicode tables of this Node,
// which may differ from Python's in characters assigned lately) as \xhh, \uhhhh or \Uhhhhhhhh.

const UNPRINTABLE = /[\p{C}\p{Z}]/u
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

export function pythonStringRepr (text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const char of text) {
    if (char === quote) out += `\\${char}`
    else if (NAMED_ESCAPES[char] !== undefined) out += NAMED_ESCAPES[char]
    else if (char !== ' ' && UNPRINTABLE.test(char)) out += hexEscape(char.codePointAt(0) as number)
    else out += char
  }
  return out + quote
}

function hexEscape (code: number): string {
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`
  return `\\U${code.toString(16).padStart(8, '0')}`
}
