import { valueKinds } from './config-keys.ts'
import type { ValueKind } from './config-keys.ts'

const INTEGER = /^[+-]?[0-9]+$/
const BOOLEAN = /^(true|false)$/i

/**
 * Turns the text of an environment variable or a .properties entry into a value of `kind`.
 * Text that does not convert is returned as it is, so that validation reports it with its
 * path and source instead of it being lost here.
 */
export function parseTextValue (kind: ValueKind, text: string): unknown {
  const trimmed = text.trim()
  switch (kind) {
    case valueKinds.integer: {
      if (!INTEGER.test(trimmed)) return text
      const value = Number(trimmed)
      return Number.isSafeInteger(value) ? value : text
    }
    case valueKinds.boolean:
      return BOOLEAN.test(trimmed) ? trimmed.toLowerCase() === 'true' : text
    case valueKinds.stringList:
      // As the older gateway read its lists: split at commas, spaces around them dropped.
      return trimmed.split(',').map(item => item.trim()).filter(item => item !== '')
    case valueKinds.string:
      return text
  }
}
