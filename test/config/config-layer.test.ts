import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatPath, LayerBuilder, mergeLayers } from '../../src/config/config-layer.ts'
import type { ConfigLayer } from '../../src/config/config-layer.ts'

function layer (entries: [string[], unknown, string][]): ConfigLayer {
  const builder = new LayerBuilder()
  for (const [path, value, source] of entries) builder.set(path, value, source)
  return builder.build()
}

test('mergeLayers merges objects key by key and lets later layers replace values and arrays', () => {
  const merged = mergeLayers([
    layer([[['kafka', 'brokers'], ['a:1', 'b:2'], 'first'], [['kafka', 'clientId'], 'one', 'first']]),
    layer([[['kafka', 'brokers'], ['c:3'], 'second'], [['log', 'level'], 'warn', 'second']])
  ], 'defaults')
  assert.deepStrictEqual(merged.values, { kafka: { brokers: ['c:3'], clientId: 'one' }, log: { level: 'warn' } })
  assert.deepStrictEqual(
    [merged.sourceOf(['kafka', 'brokers', 0]), merged.sourceOf(['kafka', 'clientId']), merged.sourceOf(['smpp', 'port'])],
    ['second', 'first', 'defaults']
  )
})

test('mergeLayers forgets the sources of values a later layer replaced wholesale', () => {
  const merged = mergeLayers([
    layer([[['kafka', 'partitions'], 3, 'file']]),
    layer([[['kafka'], 'not an object', 'overrides']])
  ], 'defaults')
  assert.deepStrictEqual([merged.values, merged.sourceOf(['kafka', 'partitions'])], [{ kafka: 'not an object' }, 'overrides'])
})

test('mergeLayers copies values so the result shares nothing with the layers', () => {
  const brokers = ['a:1']
  const merged = mergeLayers([layer([[['kafka', 'brokers'], brokers, 'overrides']])], 'defaults')
  assert.notEqual((merged.values.kafka as { brokers: unknown }).brokers, brokers)
})

test('formatPath writes array indexes in brackets', () => {
  assert.deepStrictEqual([formatPath(['kafka', 'brokers', 1]), formatPath(['log']), formatPath([])], ['kafka.brokers[1]', 'log', ''])
})
