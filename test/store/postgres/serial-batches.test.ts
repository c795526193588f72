import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setImmediate } from 'node:timers/promises'
import { SerialBatches } from '../../../src/store/postgres/serial-batches.ts'

// SerialBatches is pure: these tests write to an array, no database.

/** A write that records each batch and answers each item with its upper case; `hold` keeps a batch on its way. */
function recorder (options: { fails?: (items: readonly string[]) => boolean } = {}): {
  batches: string[][]
  write: (items: readonly string[]) => Promise<string[]>
  hold: () => () => void
} {
  const batches: string[][] = []
  let gate: Promise<void> | undefined
  return {
    batches,
    write: async items => {
      batches.push([...items])
      await gate
      if (options.fails?.(items) === true) throw new Error(`refused ${items.join(',')}`)
      return items.map(item => item.toUpperCase())
    },
    hold: () => {
      let release = (): void => {}
      gate = new Promise(resolve => { release = resolve })
      return () => { gate = undefined; release() }
    }
  }
}

test('SerialBatches writes the items added in one turn in one batch, and gives each its own output', async () => {
  const { batches, write } = recorder()
  const writer = new SerialBatches(write, 100)
  const outputs = await Promise.all([writer.add('a'), writer.add('b'), writer.add('c')])
  assert.deepStrictEqual([batches, outputs], [[['a', 'b', 'c']], ['A', 'B', 'C']])
})

test('SerialBatches writes the items added while a batch is on its way in the next batch, one batch at a time', async () => {
  const { batches, write, hold } = recorder()
  const writer = new SerialBatches(write, 100)
  const release = hold()
  const first = writer.add('a')
  while (batches.length === 0) await setImmediate()
  // The first batch is on its way: these wait for it, and then go together.
  const later = [writer.add('b'), writer.add('c')]
  await setImmediate()
  await setImmediate()
  assert.deepStrictEqual(batches, [['a']], 'no second batch while the first is on its way')
  release()
  assert.deepStrictEqual([await first, ...await Promise.all(later)], ['A', 'B', 'C'])
  assert.deepStrictEqual(batches, [['a'], ['b', 'c']])
})

test('SerialBatches puts at most maxItems in a batch', async () => {
  const { batches, write } = recorder()
  const writer = new SerialBatches(write, 2)
  assert.deepStrictEqual(await Promise.all(['a', 'b', 'c', 'd', 'e'].map(async item => await writer.add(item))), ['A', 'B', 'C', 'D', 'E'])
  assert.deepStrictEqual(batches, [['a', 'b'], ['c', 'd'], ['e']])
})

test('SerialBatches writes a failed batch again item by item: the bad item fails alone, the others land', async () => {
  const { batches, write } = recorder({ fails: items => items.includes('bad') })
  const writer = new SerialBatches(write, 100)
  const results = await Promise.allSettled([writer.add('a'), writer.add('bad'), writer.add('c')])
  assert.deepStrictEqual(results, [
    { status: 'fulfilled', value: 'A' },
    { status: 'rejected', reason: new Error('refused bad') },
    { status: 'fulfilled', value: 'C' }
  ])
  assert.deepStrictEqual(batches, [['a', 'bad', 'c'], ['a'], ['bad'], ['c']])
  // And the writer goes on.
  assert.equal(await writer.add('d'), 'D')
})

test('SerialBatches rejects a failed batch of one item with its error, without writing it again', async () => {
  const { batches, write } = recorder({ fails: () => true })
  const writer = new SerialBatches(write, 100)
  await assert.rejects(writer.add('x'), /refused x/)
  assert.deepStrictEqual(batches, [['x']])
})

test('SerialBatches settled resolves once every item added so far is written or failed', async () => {
  const { write, hold } = recorder({ fails: items => items.includes('bad') })
  const writer = new SerialBatches(write, 100)
  await writer.settled()
  const release = hold()
  const outcomes: string[] = []
  void writer.add('a').then(output => outcomes.push(output))
  void writer.add('bad').catch(() => outcomes.push('bad failed'))
  const settled = writer.settled().then(() => outcomes.push('settled'))
  await setImmediate()
  release()
  await settled
  assert.deepStrictEqual(outcomes, ['A', 'bad failed', 'settled'])
})
