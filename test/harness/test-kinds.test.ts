import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { repoRoot, testFiles, testNeeds, unitTestFiles } from './test-kinds.ts'

const needsOf = (file: string): string[] => testNeeds(join(repoRoot, file))

test('testNeeds tells each need by what the test file, or a test module it imports, reaches for', () => {
  assert.deepStrictEqual({
    codec: needsOf('test/smpp/codec/bind.test.ts'),
    kafka: needsOf('test/transport/kafka/broker.test.ts'),
    postgres: needsOf('test/store/postgres/schema.test.ts'),
    // Through test/store/store-kinds.ts, which runs every contract test on PostgreSQL too.
    postgresImported: needsOf('test/transport/embedded/embedded-transport.test.ts'),
    browser: needsOf('test/http/dashboard/dashboard-browser.test.ts'),
    // Through test/interop/jsmpp-smsc.ts, which runs jsmpp's SMSC on the JDK.
    jdk: needsOf('test/interop/jsmpp-codec.test.ts'),
    process: needsOf('test/deploy/systemd-unit.test.ts'),
    self: needsOf('test/harness/test-kinds.test.ts')
  }, {
    codec: [],
    kafka: ['kafka'],
    postgres: ['postgres'],
    postgresImported: ['postgres'],
    browser: ['browser'],
    jdk: ['jdk'],
    process: ['process'],
    self: []
  })
})

test('unitTestFiles are the test files that need nothing from outside, this one among them', () => {
  const all = testFiles()
  const unit = unitTestFiles()
  assert.ok(unit.includes('test/harness/test-kinds.test.ts'))
  assert.ok(unit.length > 0 && unit.length < all.length)
  assert.deepStrictEqual(unit, all.filter(file => needsOf(file).length === 0))
  // A pure test may live beside broker tests; a test that talks to the broker never is a unit test.
  assert.ok(unit.includes('test/transport/kafka/accepted-requests.test.ts'))
  assert.ok(!unit.includes('test/transport/kafka/kafka-ledger-log.test.ts'))
})
