// A post longer than the platform's limit becomes a thread (relay.md §6): parts cut at whitespace
// where the text has any, each but a lone part ending in ` (i/n)` as upstream's post_thread
// numbers them, and no part over the limit with its number (upstream's textwrap can overrun it on
// a long word, which the platform then refuses). Lengths are in graphemes, what Bluesky counts
// (a flag emoji or an accented letter made of two code points is one).

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

export function graphemeCount (text: string): number {
  return Array.from(graphemes.segment(text)).length
}

/** The parts to post in order; `[text]` when it fits. `limit` is in graphemes and leaves room for a number. */
export function splitIntoThread (text: string, limit: number): string[] {
  const clusters = Array.from(graphemes.segment(text), segment => segment.segment)
  if (clusters.length <= limit) return [text]
  // The suffix's length depends on how many parts there are: try 1-digit counts, then 2, ...
  for (let digits = 1; ; digits++) {
    const width = limit - ` (${'9'.repeat(digits)}/${'9'.repeat(digits)})`.length
    if (width < 1) throw new RangeError(`a post limit of ${limit} leaves no room for text`)
    const parts = cutAtWhitespace(clusters, width)
    if (String(parts.length).length <= digits) return parts.map((part, index) => `${part} (${index + 1}/${parts.length})`)
  }
}

/** Greedy: each part takes as many graphemes as fit, backing off to the last whitespace when it would cut a word. */
function cutAtWhitespace (clusters: readonly string[], width: number): string[] {
  const parts: string[] = []
  let start = skipWhitespace(clusters, 0)
  while (start < clusters.length) {
    let end = Math.min(start + width, clusters.length)
    if (end < clusters.length && !isWhitespace(clusters[end])) {
      let back = end
      while (back > start && !isWhitespace(clusters[back - 1])) back--
      if (back > start) end = back
    }
    parts.push(clusters.slice(start, end).join('').trimEnd())
    start = skipWhitespace(clusters, end)
  }
  return parts
}

function skipWhitespace (clusters: readonly string[], from: number): number {
  let at = from
  while (at < clusters.length && isWhitespace(clusters[at])) at++
  return at
}

function isWhitespace (cluster: string | undefined): boolean {
  return cluster !== undefined && /^\s+$/.test(cluster)
}
