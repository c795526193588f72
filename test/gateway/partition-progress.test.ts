import assert from 'node:assert/strict'
import { Session } from 'node:inspector/promises'
import { test } from 'node:test'
import fc from 'fast-check'
import { PartitionProgress } from '../../src/gateway/partition-progress.ts'

const committed = (...pairs: Array<[offset: number, note: string]>): Array<{ offset: bigint, note: string }> =>
  pairs.map(([offset, note]) => ({ offset: BigInt(offset), note }))

function started (...offsets: number[]): PartitionProgress<string> {
  const progress = new PartitionProgress<string>()
  for (const offset of offsets) assert.equal(progress.start(BigInt(offset)), true)
  return progress
}

test('PartitionProgress finish commits a request when it is the oldest started', () => {
  const progress = started(5, 6)
  assert.deepStrictEqual(progress.finish(5n, 'a'), committed([5, 'a']))
  assert.equal(progress.pending, 1)
})

test('PartitionProgress finish commits nothing when an older request is still running', () => {
  const progress = started(5, 6, 7)
  assert.deepStrictEqual(progress.finish(7n, 'c'), [])
  assert.deepStrictEqual(progress.finish(6n, 'b'), [])
  assert.equal(progress.pending, 3)
})

test('PartitionProgress finish commits the whole contiguous prefix in offset order when the oldest finishes last', () => {
  const progress = started(5, 6, 7, 8)
  progress.finish(7n, 'c')
  progress.finish(6n, 'b')
  assert.deepStrictEqual(progress.finish(5n, 'a'), committed([5, 'a'], [6, 'b'], [7, 'c']))
  assert.equal(progress.pending, 1)
  assert.deepStrictEqual(progress.finish(8n, 'd'), committed([8, 'd']))
  assert.equal(progress.pending, 0)
})

test('PartitionProgress finish stops the committable prefix at the first unfinished request', () => {
  const progress = started(1, 2, 3, 4, 5)
  progress.finish(2n, 'b')
  progress.finish(4n, 'd')
  progress.finish(5n, 'e')
  assert.deepStrictEqual(progress.finish(1n, 'a'), committed([1, 'a'], [2, 'b']))
  assert.deepStrictEqual(progress.finish(3n, 'c'), committed([3, 'c'], [4, 'd'], [5, 'e']))
})

test('PartitionProgress tracks offsets with gaps, as compacted or transactional topics have', () => {
  const progress = started(10, 20, 35)
  progress.finish(35n, 'c')
  progress.finish(10n, 'a')
  assert.deepStrictEqual(progress.finish(20n, 'b'), committed([20, 'b'], [35, 'c']))
})

test('PartitionProgress start returns false and records nothing when the offset goes back or repeats', () => {
  const progress = started(5, 6)
  assert.equal(progress.start(6n), false)
  assert.equal(progress.start(2n), false)
  assert.equal(progress.pending, 2)
  progress.finish(5n, 'a')
  assert.equal(progress.start(5n), false)
  assert.deepStrictEqual(progress.finish(6n, 'b'), committed([6, 'b']))
  assert.equal(progress.start(7n), true)
  assert.equal(progress.pending, 1)
})

test('PartitionProgress start takes offsets beyond the range of a double', () => {
  const big = 2n ** 62n
  const progress = new PartitionProgress<string>()
  assert.equal(progress.start(big), true)
  assert.equal(progress.start(big + 1n), true)
  progress.finish(big + 1n, 'b')
  assert.deepStrictEqual(progress.finish(big, 'a'), [{ offset: big, note: 'a' }, { offset: big + 1n, note: 'b' }])
})

test('PartitionProgress pending counts started requests that are not committed yet', () => {
  const progress = new PartitionProgress<string>()
  assert.equal(progress.pending, 0)
  progress.start(0n)
  progress.start(1n)
  progress.start(2n)
  assert.equal(progress.pending, 3)
  progress.finish(1n, 'b')
  assert.equal(progress.pending, 3)
  progress.finish(0n, 'a')
  assert.equal(progress.pending, 1)
})

test('PartitionProgress commits every offset once, in order, whatever the order of finishing', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 60 }).chain(count => fc.shuffledSubarray([...Array(count).keys()], { minLength: count })), finishOrder => {
    const progress = started(...[...finishOrder].sort((a, b) => a - b).map(offset => offset * 3))
    const seen: Array<{ offset: bigint, note: string }> = []
    for (const offset of finishOrder) {
      const committable = progress.finish(BigInt(offset * 3), `n${offset}`)
      // Only what every earlier offset allows: the prefix grows exactly to the first unfinished one.
      seen.push(...committable)
      const finished = new Set(finishOrder.slice(0, finishOrder.indexOf(offset) + 1))
      let prefix = 0
      while (finished.has(prefix)) prefix++
      assert.equal(seen.length, prefix)
      assert.equal(progress.pending, finishOrder.length - prefix)
    }
    assert.deepStrictEqual(seen, finishOrder.map((_, offset) => ({ offset: BigInt(offset * 3), note: `n${offset}` })))
  }), { numRuns: 500 })
})

test('PartitionProgress keeps working without growing when 100k requests come and go', async () => {
  const progress = new PartitionProgress<number>()
  const inFlight = 50
  let next = 0n
  let oldest = 0n
  for (let index = 0; index < inFlight; index++) progress.start(next++)
  // Finish two at a time, the younger first, and start two more: 50 in flight throughout.
  while (oldest < 100_000n) {
    assert.deepStrictEqual(progress.finish(oldest + 1n, 1), [])
    assert.deepStrictEqual(progress.finish(oldest, 0), [{ offset: oldest, note: 0 }, { offset: oldest + 1n, note: 1 }])
    oldest += 2n
    assert.equal(progress.start(next++), true)
    assert.equal(progress.start(next++), true)
    assert.equal(progress.pending, inFlight)
  }
  // The fields are private: the inspector shows their sizes (`Array(n)`, `Map(n)`).
  const sizes = await privateFieldSizes(progress)
  assert.ok((sizes['#offsets'] ?? Infinity) < 10_000, `#offsets holds ${sizes['#offsets']} offsets after 100k requests`)
  assert.equal(sizes['#finished'], 0)
  // It still commits the rest, in order.
  const rest = Array.from({ length: inFlight }, (_, index) => oldest + BigInt(index))
  for (const offset of rest.slice(1).reverse()) assert.deepStrictEqual(progress.finish(offset, 1), [])
  assert.deepStrictEqual(progress.finish(oldest, 0).map(item => item.offset), rest)
  assert.equal(progress.pending, 0)
})

/** The sizes of an object's private Array and Map fields, read through the inspector. */
async function privateFieldSizes (value: object): Promise<Record<string, number>> {
  const session = new Session()
  session.connect()
  const slot = `__privateFieldSizes${process.pid}`
  try {
    (globalThis as Record<string, unknown>)[slot] = value
    const { result } = await session.post('Runtime.evaluate', { expression: `globalThis.${slot}` })
    // The protocol has privateProperties; @types/node does not list them.
    const properties = await session.post('Runtime.getProperties', { objectId: result.objectId as string, ownProperties: true })
    const { privateProperties = [] } = properties as { privateProperties?: Array<{ name: string, value?: { description?: string } }> }
    const sizes: Record<string, number> = {}
    for (const { name, value: field } of privateProperties) {
      const size = /^(?:Array|Map)\((\d+)\)$/.exec(field?.description ?? '')?.[1]
      if (size !== undefined) sizes[name] = Number(size)
    }
    return sizes
  } finally {
    delete (globalThis as Record<string, unknown>)[slot]
    session.disconnect()
  }
}
