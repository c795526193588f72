import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { diagnosticsChannels } from '../../src/gateway/diagnostics-channels.ts'

test('docs/observability.md has a row for every diagnostics channel', () => {
  const doc = readFileSync(new URL('../../docs/observability.md', import.meta.url), 'utf8')
  assert.deepEqual(Object.values(diagnosticsChannels).filter(name => !doc.includes(`| \`${name}\` |`)), [])
})
