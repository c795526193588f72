import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { smsgw } from './cli-fixtures.ts'

// docs/cli.md against the CLI's own help (issue 9, item 14: the page had no `smsgw run`).

const doc = await readFile(new URL('../../docs/cli.md', import.meta.url), 'utf8')

/** The command names of a commander help text's "Commands:" list. */
function commandsOf (help: string): string[] {
  const list = help.slice(help.indexOf('Commands:'))
  return [...list.matchAll(/^ {2}([a-z][\w-]*)/gm)].map(match => match[1] as string).filter(name => name !== 'help')
}

test('docs/cli.md names every command of smsgw --help in its overview', async () => {
  const help = (await smsgw(['--help'])).stdout.toString('utf8')
  const overview = doc.slice(doc.indexOf('```'), doc.indexOf('```', doc.indexOf('```') + 3))
  const named = new Set(overview.split('\n').filter(line => line.startsWith('smsgw ')).flatMap(line => (line.split(/\s+/)[1] ?? '').split('|')))
  const commands = commandsOf(help)
  assert.ok(commands.includes('run'))
  assert.deepStrictEqual(commands.filter(command => !named.has(command)), [])
})

test('docs/cli.md documents every option of smsgw run', async () => {
  const help = (await smsgw(['run', '--help'])).stdout.toString('utf8')
  const options = [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map(match => match[1] as string).filter(option => option !== '--help')
  const section = doc.slice(doc.indexOf('## `smsgw run`'), doc.indexOf('\n## ', doc.indexOf('## `smsgw run`') + 1))
  assert.ok(options.length >= 6, help)
  assert.deepStrictEqual(options.filter(option => !section.includes(`| \`${option}`)), [])
})
