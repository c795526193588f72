import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodePropertiesText, parseProperties } from '../../src/config/properties-file.ts'

test('parseProperties reads key=value, key: value and key value with surrounding whitespace', () => {
  const text = [
    'plain=one',
    '  indented = two  ',
    'colon: three',
    'spaced   four',
    'tabbed\t=\tfive\t',
    'empty=',
    'bare'
  ].join('\n')
  assert.deepStrictEqual(parseProperties(text), {
    entries: [
      { key: 'plain', value: 'one', line: 1 },
      { key: 'indented', value: 'two', line: 2 },
      { key: 'colon', value: 'three', line: 3 },
      { key: 'spaced', value: 'four', line: 4 },
      { key: 'tabbed', value: 'five', line: 5 },
      { key: 'empty', value: '', line: 6 },
      { key: 'bare', value: '', line: 7 }
    ],
    problems: []
  })
})

test('parseProperties skips comments and blank lines', () => {
  const text = '# hash comment\n! bang comment\n   # indented comment\n\n   \nkey=value # not a comment\n'
  assert.deepStrictEqual(parseProperties(text), {
    entries: [{ key: 'key', value: 'value # not a comment', line: 6 }],
    problems: []
  })
})

test('parseProperties joins lines ending in a backslash and drops the next line\'s indentation', () => {
  const text = [
    'list=a,\\',
    '     b,\\',
    '     c',
    '# a comment ending in a backslash does not continue \\',
    'next=1',
    'wrapped=\\',
    '# not a comment once joined',
    'escaped=ends in a backslash\\\\',
    'last=x'
  ].join('\n')
  assert.deepStrictEqual(parseProperties(text).entries, [
    { key: 'list', value: 'a,b,c', line: 1 },
    { key: 'next', value: '1', line: 5 },
    { key: 'wrapped', value: '# not a comment once joined', line: 6 },
    { key: 'escaped', value: 'ends in a backslash\\', line: 8 },
    { key: 'last', value: 'x', line: 9 }
  ])
})

test('parseProperties keeps a continuation at the end of the file', () => {
  assert.deepStrictEqual(parseProperties('key=value\\').entries, [{ key: 'key', value: 'value', line: 1 }])
})

test('parseProperties resolves escapes in keys and values', () => {
  const text = [
    'unicode=caf\\u00e9 \\u20AC',
    'controls=a\\tb\\nc\\rd\\fe',
    'key\\ with\\=odd\\:chars=value',
    'other\\q=\\\\path\\\\to'
  ].join('\n')
  assert.deepStrictEqual(parseProperties(text).entries, [
    { key: 'unicode', value: 'café €', line: 1 },
    { key: 'controls', value: 'a\tb\nc\rd\fe', line: 2 },
    { key: 'key with=odd:chars', value: 'value', line: 3 },
    { key: 'otherq', value: '\\path\\to', line: 4 }
  ])
})

test('parseProperties reads CRLF and CR line ends', () => {
  assert.deepStrictEqual(parseProperties('a=1\r\nb=2\\\r\n  3\rc=4').entries, [
    { key: 'a', value: '1', line: 1 },
    { key: 'b', value: '23', line: 2 },
    { key: 'c', value: '4', line: 4 }
  ])
})

test('parseProperties reports a malformed \\u escape with its line and keeps the other entries', () => {
  assert.deepStrictEqual(parseProperties('good=1\nbad=\\u12G4\nalso.good=2'), {
    entries: [{ key: 'good', value: '1', line: 1 }, { key: 'also.good', value: '2', line: 3 }],
    problems: [{ line: 2, problem: 'malformed \\uXXXX escape' }]
  })
})

test('parseProperties lists a key given twice twice, in file order', () => {
  assert.deepStrictEqual(parseProperties('a=1\na=2').entries, [
    { key: 'a', value: '1', line: 1 },
    { key: 'a', value: '2', line: 2 }
  ])
})

test('parseProperties never throws, whatever the text', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), text => {
    const parsed = parseProperties(text)
    assert.ok(parsed.entries.every(entry => entry.key !== '' && entry.line >= 1))
  }), { numRuns: 2_000 })
})

/** Writes a key and value the way java.util.Properties#store does. */
function storeEntry (key: string, value: string): string {
  const escape = (text: string, isKey: boolean): string => [...text].map((character, index) => {
    if (character === '\\') return '\\\\'
    if (character === '\t') return '\\t'
    if (character === '\n') return '\\n'
    if (character === '\r') return '\\r'
    if (character === '\f') return '\\f'
    if ('=:#!'.includes(character)) return `\\${character}`
    if (character === ' ' && (isKey || index === 0)) return '\\ '
    const code = character.charCodeAt(0)
    return code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, '0')}` : character
  }).join('')
  return `${escape(key, true)}=${escape(value, false)}`
}

test('parseProperties reads back what java.util.Properties#store would write, trimmed as Spring Boot does', () => {
  const name = fc.string({ minLength: 1, maxLength: 20 }).filter(key => key.trim() !== '')
  fc.assert(fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 30 })), { maxLength: 5 }), pairs => {
    const text = pairs.map(([key, value]) => storeEntry(key, value)).join('\n')
    const read = parseProperties(text).entries.map(entry => [entry.key, entry.value])
    assert.deepStrictEqual(read, pairs.map(([key, value]) => [key.trim(), value.trim()]))
  }), { numRuns: 1_000 })
})

test('decodePropertiesText reads UTF-8, and ISO-8859-1 when the bytes are not UTF-8', () => {
  assert.deepStrictEqual(
    [decodePropertiesText(Buffer.from('dir=/café', 'utf8')), decodePropertiesText(Buffer.from('dir=/café', 'latin1'))],
    ['dir=/café', 'dir=/café']
  )
})
