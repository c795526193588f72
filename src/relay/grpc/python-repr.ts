// Python's repr() of a str, as upstream's texts print values inside a dict's str() (DeleteEntity's
// FAILED_PRECONDITION, relay-wire.md §4): single quotes, unless the text holds a single quote and
// no double quote; backslashes, the quote and control characters escaped. Non-ASCII printable
// characters stay as they are (Python 3); the few non-ASCII characters Python deems unprintable
// beyond C0, DEL and C1 (separators, format characters) are escaped here only in those ranges.

export function pythonStringRepr (text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const char of text) {
    const code = char.codePointAt(0) as number
    if (char === '\\' || char === quote) out += `\\${char}`
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (char === '\t') out += '\\t'
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += char
  }
  return out + quote
}
