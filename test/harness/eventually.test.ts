import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventually } from './eventually.ts'

test('eventually resolves once the condition holds, sync or async, checking again until then', async () => {
  let checks = 0
  await eventually('the third check', () => ++checks === 3)
  assert.equal(checks, 3)
  await eventually('an async condition', async () => await Promise.resolve(++checks === 5))
  assert.equal(checks, 5)
})

test('eventually fails after the timeout with a message naming what it waited for', async () => {
  const started = performance.now()
  await assert.rejects(eventually('the moon to turn blue', () => false, 200),
    { name: 'AssertionError', message: 'timed out after 200 ms waiting for: the moon to turn blue' })
  assert.ok(performance.now() - started >= 200)
})

test('eventually passes on an error of the condition as it is', async () => {
  await assert.rejects(eventually('a broken check', () => { throw new Error('broken') }), { message: 'broken' })
})
