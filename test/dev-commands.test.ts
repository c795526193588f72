import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'

// The commands that docs/kafka-dev.md and scripts/start.ts name are those package.json runs
// (issue 9, item 14: the page showed a test command with options npm test does not use, and
// start.ts called itself `npm start`, which runs `smsgw run`).

const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }

test('docs/kafka-dev.md shows the command npm test runs', async () => {
  const doc = await readFile(new URL('../docs/kafka-dev.md', import.meta.url), 'utf8')
  const section = doc.slice(doc.indexOf('## In tests'))
  const shown = section.match(/^npm test +# (.+)$/m)?.[1]
  assert.equal(shown, packageJson.scripts.test)
})

test('scripts/start.ts names the npm script that runs it', async () => {
  const [script] = Object.entries(packageJson.scripts).filter(([, command]) => command.replace(/^exec /, '') === 'node scripts/start.ts').map(([name]) => name)
  assert.equal(script, 'start:kafka')
  const header = (await readFile(new URL('../scripts/start.ts', import.meta.url), 'utf8')).split('\n')[0] ?? ''
  assert.ok(header.startsWith(`// \`npm run ${script}\`:`), header)
})
