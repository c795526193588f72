import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OwnWrites } from '../../../src/transport/kafka/own-writes.ts'

test('the read-back of an older write of ours is not applied over a newer one; the newest is', () => {
  const writes = new OwnWrites()
  writes.wrote('k', 'record')
  writes.wrote('k', null)
  assert.equal(writes.readBack('k', 'record'), false, 'the put, read back after the remove, would bring the record back')
  assert.equal(writes.readBack('k', null), true)
  assert.equal(writes.readBack('k', 'theirs'), true, 'nothing of ours in flight: every record applies')
})

test('a record of another instance read while a write of ours is in flight lies before ours in the log, and is not applied', () => {
  const writes = new OwnWrites()
  writes.wrote('k', 'ours')
  assert.equal(writes.readBack('k', 'theirs'), false)
  assert.equal(writes.readBack('other-key', 'theirs'), true)
  assert.equal(writes.readBack('k', 'ours'), true)
})

test('a failed write is no longer waited for', () => {
  const writes = new OwnWrites()
  writes.wrote('k', 'first')
  writes.wrote('k', 'second')
  writes.failed('k', 'second')
  assert.equal(writes.readBack('k', 'first'), true)
  writes.wrote('k', 'lost')
  writes.failed('k', 'lost')
  assert.equal(writes.readBack('k', 'theirs'), true)
})
