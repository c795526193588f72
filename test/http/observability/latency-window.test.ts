import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LatencyWindow } from '../../../src/http/observability/latency-window.ts'

test('LatencyWindow gives nearest-rank percentiles of its samples', () => {
  const window = new LatencyWindow(1000, 60_000)
  for (let n = 1; n <= 100; n++) window.add(n / 100, 1_000)
  assert.deepStrictEqual(window.summary(2_000), { count: 100, p50Seconds: 0.5, p90Seconds: 0.9, p99Seconds: 0.99 })
})

test('LatencyWindow gives nulls when it holds no sample', () => {
  assert.deepStrictEqual(new LatencyWindow().summary(0), { count: 0, p50Seconds: null, p90Seconds: null, p99Seconds: null })
})

test('LatencyWindow leaves out samples older than its window', () => {
  const window = new LatencyWindow(10, 1_000)
  window.add(100, 0)
  window.add(2, 5_000)
  assert.deepStrictEqual(window.summary(5_500), { count: 1, p50Seconds: 2, p90Seconds: 2, p99Seconds: 2 })
})

test('LatencyWindow keeps only its capacity of the most recent samples', () => {
  const window = new LatencyWindow(3, 60_000)
  for (const seconds of [9, 9, 9, 1, 2, 3]) window.add(seconds, 0)
  assert.deepStrictEqual(window.summary(0), { count: 3, p50Seconds: 2, p90Seconds: 3, p99Seconds: 3 })
})
