// A walk over a document JSON.parse returned. V8's JSON.parse itself is a loop (a document nested
// 200,000 deep parses), so a check of what a document holds can run after a plain parse, without
// a reviver, which costs 2-4x as much and recurses.

/**
 * Whether `test` holds for some value of a parsed JSON document: the document itself (depth 1),
 * and every array item and object field at any depth (one more than its container's). A loop,
 * so that no depth overflows the stack; stops at the first value that passes.
 */
export function someJsonValue (document: unknown, test: (value: unknown, depth: number) => boolean): boolean {
  const values: unknown[] = [document]
  const depths: number[] = [1]
  while (values.length > 0) {
    const value = values.pop()
    const depth = depths.pop() as number
    if (test(value, depth)) return true
    if (typeof value !== 'object' || value === null) continue
    // Item by item: a spread of a 4 MiB array could exceed the arguments' limit.
    for (const item of Object.values(value)) {
      values.push(item)
      depths.push(depth + 1)
    }
  }
  return false
}
