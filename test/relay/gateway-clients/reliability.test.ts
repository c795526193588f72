import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MIN_TESTS_FOR_SCORE, reliabilityHundredths } from '../../../src/relay/gateway-clients/reliability.ts'
import { reliabilityText } from '../../../src/relay/gateway-clients/registry-json.ts'

// The reliability score's rule (relay.md §5); the ports over a store are tested in registry-cases.ts.

test('reliabilityHundredths is 0 below 5 tests, then the share in time to two places, rendered as upstream\'s decimal', () => {
  assert.equal(MIN_TESTS_FOR_SCORE, 5)
  const scores = [{ tests: 4, succeeded: 4 }, { tests: 5, succeeded: 4 }, { tests: 6, succeeded: 4 }, { tests: 3_000, succeeded: 1 }, { tests: 7, succeeded: 7 }, { tests: 5, succeeded: 0 }]
    .map(tally => reliabilityText(reliabilityHundredths(tally)))
  assert.deepStrictEqual(scores, ['0.00', '80.00', '66.67', '0.03', '100.00', '0.00'])
})
