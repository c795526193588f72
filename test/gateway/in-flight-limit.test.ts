import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InFlightLimit } from '../../src/gateway/in-flight-limit.ts'

/** Lets pending promise reactions run. */
const settle = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }

test('InFlightLimit acquire resolves at once while below the limit', async () => {
  const limit = new InFlightLimit(2)
  await limit.acquire()
  await limit.acquire()
  assert.equal(limit.used, 2)
})

test('InFlightLimit acquire blocks at the limit and resumes when one is released', async () => {
  const limit = new InFlightLimit(2)
  await limit.acquire()
  await limit.acquire()
  let acquired = false
  const third = limit.acquire().then(() => { acquired = true })
  await settle()
  assert.equal(acquired, false)
  limit.release()
  await third
  assert.deepStrictEqual({ acquired, used: limit.used }, { acquired: true, used: 2 })
})

test('InFlightLimit hands released slots to waiters in the order they asked', async () => {
  const limit = new InFlightLimit(1)
  await limit.acquire()
  const order: number[] = []
  const waiters = [1, 2, 3].map(async index => { await limit.acquire(); order.push(index) })
  await settle()
  assert.deepStrictEqual(order, [])
  for (let index = 0; index < 3; index++) {
    limit.release()
    await settle()
    assert.deepStrictEqual(order, [1, 2, 3].slice(0, index + 1))
    assert.equal(limit.used, 1)
  }
  await Promise.all(waiters)
})

test('InFlightLimit lets no newcomer pass waiters when a slot is released', async () => {
  const limit = new InFlightLimit(1)
  await limit.acquire()
  const order: string[] = []
  const waiting = limit.acquire().then(() => order.push('waiter'))
  limit.release()
  const newcomer = limit.acquire().then(() => order.push('newcomer'))
  await waiting
  await settle()
  assert.deepStrictEqual(order, ['waiter'])
  limit.release()
  await newcomer
  assert.deepStrictEqual(order, ['waiter', 'newcomer'])
})

test('InFlightLimit idle resolves at once when nothing is in flight', async () => {
  const limit = new InFlightLimit(3)
  await limit.idle()
  await limit.acquire()
  limit.release()
  await limit.idle()
  assert.equal(limit.used, 0)
})

test('InFlightLimit idle resolves when the last one in flight is released, not before', async () => {
  const limit = new InFlightLimit(2)
  await limit.acquire()
  await limit.acquire()
  let idle = 0
  const waiters = [limit.idle(), limit.idle()].map(async promise => { await promise; idle++ })
  limit.release()
  await settle()
  assert.equal(idle, 0)
  limit.release()
  await Promise.all(waiters)
  assert.equal(idle, 2)
})

test('InFlightLimit idle waits for waiters that got a released slot', async () => {
  const limit = new InFlightLimit(1)
  await limit.acquire()
  const next = limit.acquire()
  let idle = false
  const idling = limit.idle().then(() => { idle = true })
  limit.release()
  await next
  await settle()
  assert.deepStrictEqual({ idle, used: limit.used }, { idle: false, used: 1 })
  limit.release()
  await idling
  assert.equal(idle, true)
})

test('InFlightLimit constructor rejects a limit that is not a positive integer', () => {
  for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new InFlightLimit(bad), { name: 'RangeError', message: `in-flight limit must be a positive integer, got ${bad}` })
  }
  assert.equal(new InFlightLimit(1).used, 0)
})

test('InFlightLimit acquire rejects with the signal\'s reason when it aborts while waiting, and the slot goes to the next waiter', async () => {
  const limit = new InFlightLimit(1)
  await limit.acquire()
  const stop = new AbortController()
  const aborted = limit.acquire(stop.signal)
  let nextGot = false
  const next = limit.acquire().then(() => { nextGot = true })
  stop.abort(new Error('shutting down'))
  await assert.rejects(aborted, /shutting down/)
  limit.release()
  await next
  assert.deepStrictEqual([nextGot, limit.used], [true, 1])
  await assert.rejects(limit.acquire(stop.signal), /shutting down/)
})
