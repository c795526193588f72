import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AcceptedRequests } from '../../../src/transport/kafka/accepted-requests.ts'

const value = (correlId: string): string => JSON.stringify({ 'client-id': 'acme', 'correl-id': correlId, deadline: '2100-01-01T00:00:00Z', payload: 'AA==' })

test('AcceptedRequests remembers requests by client and correl-id, forgetting the oldest beyond its count', () => {
  const accepted = new AcceptedRequests(2)
  for (const correlId of ['a', 'b', 'c']) accepted.add(value(correlId))
  assert.deepStrictEqual([accepted.has('acme', 'a'), accepted.has('acme', 'b'), accepted.has('acme', 'c'), accepted.has('other', 'c'), accepted.size], [false, true, true, false, 2])
})

test('AcceptedRequests stays within its bytes, whatever the size of the correl-ids', () => {
  const accepted = new AcceptedRequests(1_000_000, 10_000)
  for (let index = 0; index < 100; index++) accepted.add(value(`${index}-${'x'.repeat(1_000)}`))
  // About 1 KB a key: the last nine fit in 10,000 bytes, the rest are forgotten.
  assert.equal(accepted.size, 9)
  assert.ok(accepted.has('acme', `99-${'x'.repeat(1_000)}`))
  assert.ok(!accepted.has('acme', `90-${'x'.repeat(1_000)}`))
})
