/**
 * Edits between two strings, where an edit inserts, deletes or substitutes one character or
 * swaps two adjacent ones (optimal string alignment), so `prot` is one edit from `port`.
 */
function editDistance (from: string, to: string): number {
  // rows[i][j]: edits between the first i characters of `from` and the first j of `to`.
  const rows = Array.from({ length: from.length + 1 }, (_, i) => Array.from({ length: to.length + 1 }, (_, j) => i + j))
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0
  for (let i = 1; i <= from.length; i++) {
    for (let j = 1; j <= to.length; j++) {
      const substitution = at(i - 1, j - 1) + (from[i - 1] === to[j - 1] ? 0 : 1)
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, substitution)
      const swapped = i > 1 && j > 1 && from[i - 1] === to[j - 2] && from[i - 2] === to[j - 1]
      if (swapped) distance = Math.min(distance, at(i - 2, j - 2) + 1)
      const row = rows[i]
      if (row !== undefined) row[j] = distance
    }
  }
  return at(from.length, to.length)
}

/** Case, `-` and `_` do not count: `max-in-flight`, `MAX_IN_FLIGHT` and `maxInFlight` are alike. */
function folded (name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '')
}

/**
 * A typo is one or two edits: a quarter of the name at most. More would match unrelated
 * names that share a long prefix (`SMSGW_SMPP_TLS` is not `SMSGW_SMPP_HOST`).
 */
function allowedEdits (name: string): number {
  return Math.max(1, Math.min(2, Math.floor(name.length / 4)))
}

/**
 * The candidate `name` was most likely meant to be, for a "did you mean" hint; undefined when
 * none is close. Ties go to the earlier candidate.
 */
export function closestName (name: string, candidates: Iterable<string>): string | undefined {
  const target = folded(name)
  let best: string | undefined
  let bestDistance = allowedEdits(target) + 1
  for (const candidate of candidates) {
    const distance = editDistance(target, folded(candidate))
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** `; did you mean X?` or nothing. */
export function didYouMean (name: string, candidates: Iterable<string>): string {
  const suggestion = closestName(name, candidates)
  return suggestion === undefined ? '' : `; did you mean ${suggestion}?`
}
