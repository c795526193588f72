import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { configKeys, envVarName } from '../../src/config/config-keys.ts'
import { unfollowedLegacyKeys } from '../../src/config/legacy-properties.ts'
import { gatewayConfigSchema } from '../../src/config/schema.ts'

// docs/configuration.md against the schema it documents (issue 9, item 14: the HTTP rate limits
// sat in the table of `pipeline` and `log`, and the list of variable prefixes lacked SMSGW_HTTP_
// and SMSGW_STORE_).

const doc = await readFile(new URL('../../docs/configuration.md', import.meta.url), 'utf8')

/** Each table row naming a setting in its first cell, with the `###` heading it sits under. */
function settingRows (): Array<{ heading: string, row: string }> {
  let heading = ''
  const rows: Array<{ heading: string, row: string }> = []
  for (const line of doc.split('\n')) {
    if (line.startsWith('#')) heading = line
    else if (line.startsWith('| `')) rows.push({ heading, row: line })
  }
  return rows
}

test('docs/configuration.md lists every setting, with its variable, under the heading of its section', () => {
  const rows = settingRows()
  const misplaced = configKeys.flatMap(key => {
    const row = rows.find(({ row }) => (row.split('|')[1] ?? '').includes(`\`${key.name}\``))
    if (row === undefined) return [`${key.name}: no row`]
    const section = key.path[0] ?? ''
    return [
      ...(row.heading.startsWith('### ') && row.heading.includes(`\`${section}\``) ? [] : [`${key.name}: under "${row.heading}"`]),
      ...(row.row.includes(`\`${key.envVar}\``) ? [] : [`${key.name}: no ${key.envVar}`])
    ]
  })
  assert.deepStrictEqual(misplaced, [])
})

test('docs/configuration.md names the variable prefix of every section', () => {
  const prefixes = Object.keys(gatewayConfigSchema.properties).map(section => `${envVarName([section])}_`)
  const paragraph = doc.split('\n\n').find(text => text.startsWith('A variable that starts with a section\'s prefix')) ?? assert.fail('no prefix paragraph')
  const named = [...paragraph.matchAll(/`(SMSGW_[A-Z_]+_)`/g)].map(match => match[1])
  assert.deepStrictEqual([...named].sort(), [...prefixes].sort())
})

test('docs/configuration.md has a row for every Java property that warns at start', () => {
  const section = doc.slice(doc.indexOf('### Keys that warn'), doc.indexOf('### Syntax'))
  assert.deepStrictEqual(unfollowedLegacyKeys.filter(key => !section.includes(`| \`${key.prefix ? `${key.key}*` : key.key}\``)).map(key => key.key), [])
})
