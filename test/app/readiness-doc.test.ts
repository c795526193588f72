import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { startApp } from './embedded-app-fixture.ts'
import { temporaryFolder } from './app-fixtures.ts'

// docs/observability.md names the checks /readyz answers with (issue 9, item 14: it named
// `broker` and `smsc:<name>`, which no composition root sends).

test('docs/observability.md documents exactly the checks GET /readyz of smsgw run answers with', async t => {
  const { app } = await startApp(t, await temporaryFolder('readiness-doc'))
  const answer = await (await fetch(`${app.url}/readyz`)).json() as { checks: Record<string, boolean> }
  const doc = await readFile(new URL('../../docs/observability.md', import.meta.url), 'utf8')
  const table = doc.slice(doc.indexOf('| check | `true` when |')).split('\n\n')[0] ?? ''
  const documented = table.split('\n').slice(2).filter(line => line.startsWith('| `')).map(line => line.match(/^\| `([^`]+)`/)?.[1])
  assert.deepStrictEqual(documented.sort(), Object.keys(answer.checks).sort())
})
