// The first step of reading the JSON records on our topics (statuses, inbound SMS): text or
// UTF-8 bytes to the own fields of one JSON object, without throwing on anything a peer sends.

/** The value of a record's own field `name`; undefined when the record has none. */
export type JsonFields = (name: string) => unknown

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The fields of the JSON object in `value`; null for bad UTF-8 or JSON, or JSON that is not an
 * object (an array, a string, null …). Inherited names such as `constructor` read as absent.
 * Never throws.
 */
export function jsonFields (value: string | Uint8Array): JsonFields | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : utf8.decode(value))
  } catch {
    // Bad UTF-8 (TypeError), bad JSON (SyntaxError), or nesting too deep (RangeError).
    return null
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null
  const fields = parsed as Record<string, unknown>
  return name => Object.hasOwn(fields, name) ? fields[name] : undefined
}
