// A text longer than a platform's post limit becomes a thread (relay.md §6): parts of at most
// the limit each, numbered ` (i/n)`, each posted in reply to the one before. Pure.
//
// Length is counted in code points. That is never less than what Mastodon counts (grapheme
// clusters) and equals X's count for most text; X weighs CJK characters double and both count a
// URL as 23, which this does not model (such a part may be refused as too long: `rejected`).

/** X's limit (relay.md §6). */
export const X_POST_CHARACTERS = 280
/** Mastodon's default instance limit (relay.md §6). */
export const MASTODON_POST_CHARACTERS = 500
/** Bluesky's limit (relay.md §6). */
export const BLUESKY_POST_CHARACTERS = 300

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

function lengthOf (text: string): number {
  return [...text].length
}

/**
 * The posts of `text` under `limit` code points: the text itself when it fits, else parts cut at
 * white space (inside a word longer than a part, between grapheme clusters), each ending ` (i/n)`.
 */
export function splitIntoPosts (text: string, limit: number): string[] {
  if (!Number.isSafeInteger(limit) || limit < 16) throw new RangeError(`a post limit must be a whole number ≥ 16, not ${limit}`)
  if (lengthOf(text) <= limit) return [text]
  // The suffix's length depends on the number of parts; grow the guess until the parts fit it.
  for (let count = 2; ; count += 1) {
    const room = limit - suffix(count, count).length
    const parts = wrap(text.trim(), room)
    if (parts.length <= count) return parts.map((part, index) => `${part}${suffix(index + 1, parts.length)}`)
  }
}

function suffix (index: number, count: number): string {
  return ` (${index}/${count})`
}

/** Greedy wrap into parts of at most `room` code points, breaking at white space (dropped at a break). */
function wrap (text: string, room: number): string[] {
  const parts: string[] = []
  let current = ''
  const tokens = text.split(/(\s+)/)
  for (let index = 0; index < tokens.length; index += 2) {
    const word = tokens[index] as string
    const separator = index === 0 ? '' : tokens[index - 1] as string
    if (word === '') continue
    const joined = current === '' ? word : current + separator + word
    if (lengthOf(joined) <= room) {
      current = joined
      continue
    }
    if (current !== '') parts.push(current)
    current = ''
    // A cluster longer than a part on its own (a pathological one) is cut between code points.
    const pieces = [...segmenter.segment(word)].flatMap(({ segment }) => lengthOf(segment) > room ? [...segment] : [segment])
    for (const piece of pieces) {
      if (lengthOf(current + piece) > room && current !== '') {
        parts.push(current)
        current = ''
      }
      current += piece
    }
  }
  if (current !== '') parts.push(current)
  return parts
}
