import assert from 'node:assert/strict'
import { test } from 'node:test'
import { WindowSlots } from '../../../src/smpp/session/window-slots.ts'
import { settle } from './memory-link.ts'

test('WindowSlots hands freed slots to waiters in order, so nobody overtakes them', async () => {
  const slots = new WindowSlots(2)
  await slots.take()
  await slots.take()
  const order: string[] = []
  const first = slots.take().then(() => { order.push('first') })
  const second = slots.take().then(() => { order.push('second') })
  await settle()
  assert.deepStrictEqual({ order, used: slots.used, full: slots.full }, { order: [], used: 2, full: true })
  slots.release()
  await first
  // The freed slot went to the first waiter: a newcomer waits behind the second.
  const late = slots.take().then(() => { order.push('late') })
  slots.release()
  await second
  slots.release()
  await late
  assert.deepStrictEqual({ order, used: slots.used }, { order: ['first', 'second', 'late'], used: 2 })
})

test('WindowSlots fails its waiters on rejectWaiters and keeps the slots in use', async () => {
  const slots = new WindowSlots(1)
  await slots.take()
  const waiting = slots.take()
  slots.rejectWaiters(new Error('closing'))
  await assert.rejects(waiting, /closing/)
  assert.equal(slots.used, 1)
  slots.release()
  assert.equal(slots.used, 0)
})
