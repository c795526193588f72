import assert from 'node:assert/strict'
import { test } from 'node:test'
import { graphemeCount, splitIntoThread } from '../../../src/relay/platforms/post-thread.ts'

test('splitIntoThread keeps a text that fits as one part, without a number', () => {
  assert.deepStrictEqual(splitIntoThread('short post', 300), ['short post'])
  const exactly = 'x'.repeat(300)
  assert.deepStrictEqual(splitIntoThread(exactly, 300), [exactly])
})

test('splitIntoThread cuts at whitespace, numbers the parts (i/n), and keeps every part within the limit', () => {
  const words = Array.from({ length: 120 }, (_, index) => `word${index}`)
  const parts = splitIntoThread(words.join(' '), 100)
  assert.ok(parts.length > 1)
  parts.forEach((part, index) => {
    assert.ok(graphemeCount(part) <= 100, `part ${index + 1} is ${graphemeCount(part)} long`)
    assert.ok(part.endsWith(` (${index + 1}/${parts.length})`))
  })
  // Nothing lost, nothing cut inside a word.
  const text = parts.map(part => part.replace(/ \(\d+\/\d+\)$/, '')).join(' ')
  assert.equal(text, words.join(' '))
})

test('splitIntoThread counts graphemes: a flag or a combining accent is one', () => {
  const flag = '🇨🇲'
  const accented = 'e\u0301'
  assert.equal(graphemeCount(flag + accented), 2)
  assert.deepStrictEqual(splitIntoThread(flag.repeat(300), 300), [flag.repeat(300)])
  const parts = splitIntoThread(flag.repeat(301), 300)
  assert.equal(parts.length, 2)
  for (const part of parts) assert.ok(graphemeCount(part) <= 300)
  assert.equal(parts.join('').replace(/ \(\d\/2\)/g, ''), flag.repeat(301))
})

test('splitIntoThread breaks a word longer than a part rather than overrun the limit', () => {
  const parts = splitIntoThread('a'.repeat(250), 100)
  assert.deepStrictEqual(parts.map(graphemeCount), [100, 100, 68])
  assert.deepStrictEqual(parts.map(part => part.slice(-6)), [' (1/3)', ' (2/3)', ' (3/3)'])
})

test('splitIntoThread makes room for two-digit numbers when the thread has ten parts or more', () => {
  const parts = splitIntoThread('b'.repeat(1000), 100)
  assert.ok(parts.length >= 10)
  assert.ok(parts.every(part => graphemeCount(part) <= 100))
  assert.ok(parts.at(-1)?.endsWith(` (${parts.length}/${parts.length})`))
})

test('splitIntoThread keeps line breaks inside a part and drops whitespace at the cuts', () => {
  const parts = splitIntoThread(`first line\nsecond line ${'c'.repeat(20)}   ${'d'.repeat(20)}`, 40)
  assert.deepStrictEqual(parts, ['first line\nsecond line (1/3)', `${'c'.repeat(20)} (2/3)`, `${'d'.repeat(20)} (3/3)`])
})
