import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'

// docs/http-api.md showed a recall-id on statuses of client `test`, whose loop-back (spec §6:
// "No recall-id, no correl-id record") sends none (issue 9, item 14).

test('docs/http-api.md shows no recall-id on a status of the loop-back client test', async () => {
  const doc = await readFile(new URL('../../../docs/http-api.md', import.meta.url), 'utf8')
  const statuses = [...doc.matchAll(/\{"client-id": ?"[^"]*", ?"correl-id": ?"[^"]*", ?"timestamp"[^}]*\}/g)]
    .map(match => JSON.parse(match[0]) as Record<string, string>)
  assert.ok(statuses.length >= 3, 'the page has status examples')
  assert.deepStrictEqual(statuses.filter(status => status['client-id'] === 'test' && 'recall-id' in status), [])
})
