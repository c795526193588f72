// The client log is `<dir>/<client-id>.log` (spec §9), and statuses are produced for clients
// that are not allowed too (row 4 answers them), so the client-id comes straight from whoever
// can write to `send-sms`. Taken as it is, `../../x` or `a/b` would write outside <dir>.

const SAFE_CHARACTER = /^[A-Za-z0-9_.-]$/
const LEADING_DOT = '.'
/** Longest file name on the common file systems (ext4, xfs, btrfs, APFS, NTFS), in bytes. */
export const MAX_FILE_NAME_BYTES = 255
const LOG_SUFFIX = '.log'

/**
 * The file name of a client's log inside the client-log folder: `<client-id>.log` for the usual
 * client-ids (letters, digits, `_`, `-`, `.`). Any other character, and a leading `.`, is written
 * as `%XX` per UTF-8 byte, so the name is plain ASCII, never leaves the folder, never hides, and
 * two client-ids (well-formed Unicode) never share a file. Null for an empty client-id and when
 * the name would be longer than a file name may be: log such statuses elsewhere.
 */
export function clientLogFileName (clientId: string): string | null {
  if (clientId === '') return null
  let name = ''
  for (const character of clientId) {
    const safe = SAFE_CHARACTER.test(character) && !(name === '' && character === LEADING_DOT)
    name += safe ? character : percentEncode(character)
  }
  name += LOG_SUFFIX
  return name.length <= MAX_FILE_NAME_BYTES ? name : null
}

function percentEncode (character: string): string {
  let encoded = ''
  for (const byte of Buffer.from(character, 'utf8')) encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  return encoded
}
