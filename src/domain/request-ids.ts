// The two ids a client chooses, `client-id` and `correl-id` (spec §2), are held wherever a
// request or its statuses are: the ledger, the status history, webhook and dashboard memory, the
// client log, the `sms-status` key. The contract sets no limit; these are ours (issue 9: 424
// requests with 60,000-character correl-ids exhausted the heap). Both limits are far above what
// the Java gateway's clients send (a scheduler's ids, UUIDs, vault aliases), and a client-id of
// the longest kind still makes a client log file name (spec §9) after percent-encoding.

/** A client-id is at most this many bytes in UTF-8. */
export const MAX_CLIENT_ID_BYTES = 64
/** A correl-id is at most this many bytes in UTF-8. */
export const MAX_CORREL_ID_BYTES = 256

// C0, DEL and C1: they would break the tab-separated client log (spec §9), log lines and terminals.
const CONTROL_CHARACTER = /\p{Cc}/u

/**
 * What is wrong with an id, as a clause that follows the field's name (`correl-id is longer than
 * 256 bytes in UTF-8`), or undefined when nothing is. An id must be well-formed Unicode (a lone
 * surrogate, which JSON's `\ud800` can make, would turn into U+FFFD in UTF-8, so two ids could
 * become one), have no control character, and take at most `maxBytes` bytes in UTF-8.
 */
export function idProblem (id: string, maxBytes: number): string | undefined {
  // A UTF-16 code unit takes at least one byte in UTF-8: the cheap test first.
  if (id.length > maxBytes || Buffer.byteLength(id, 'utf8') > maxBytes) return `is longer than ${maxBytes} bytes in UTF-8`
  if (!id.isWellFormed()) return 'is not well-formed Unicode (it holds a lone surrogate)'
  if (CONTROL_CHARACTER.test(id)) return 'holds a control character (U+0000-U+001F or U+007F-U+009F)'
  return undefined
}
