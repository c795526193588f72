import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { splitIntoPosts, X_POST_CHARACTERS } from '../../../src/relay/platforms/post-thread.ts'

const codePoints = (text: string): number => [...text].length

test('splitIntoPosts keeps a text that fits as it is', () => {
  assert.deepEqual(splitIntoPosts('hello  world\n', 280), ['hello  world\n'])
  const exact = 'x'.repeat(280)
  assert.deepEqual(splitIntoPosts(exact, X_POST_CHARACTERS), [exact])
})

test('splitIntoPosts numbers the parts of a longer text (i/n), cut at spaces', () => {
  const words = Array.from({ length: 60 }, (_, index) => `word${index}`)
  const posts = splitIntoPosts(words.join(' '), 100)
  assert.equal(posts.length, 5)
  posts.forEach((post, index) => {
    assert.ok(post.endsWith(` (${index + 1}/5)`), post)
    assert.ok(codePoints(post) <= 100)
  })
  assert.equal(posts.map(post => post.replace(/ \(\d+\/\d+\)$/, '')).join(' '), words.join(' '))
})

test('splitIntoPosts cuts a word longer than a part between grapheme clusters, never inside one', () => {
  const family = '👨‍👩‍👧' // one grapheme cluster of five code points
  const posts = splitIntoPosts(family.repeat(20), 30)
  for (const post of posts) {
    assert.ok(codePoints(post) <= 30)
    assert.match(post.replace(/ \(\d+\/\d+\)$/, ''), /^(👨‍👩‍👧)+$/u)
  }
  assert.equal(posts.map(post => post.replace(/ \(\d+\/\d+\)$/, '')).join(''), family.repeat(20))
})

test('splitIntoPosts leaves room for a longer suffix once there are ten parts or more', () => {
  const posts = splitIntoPosts('a'.repeat(2000), 100)
  assert.ok(posts.length >= 10)
  assert.ok(posts.every(post => codePoints(post) <= 100))
  assert.ok(posts.at(-1)?.endsWith(`(${posts.length}/${posts.length})`))
})

test('splitIntoPosts keeps every part within the limit and loses no word (property)', () => {
  fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter(word => !/\s/u.test(word)), { minLength: 1, maxLength: 80 }), fc.integer({ min: 16, max: 300 }), (words, limit) => {
    const text = words.join(' ')
    const posts = splitIntoPosts(text, limit)
    assert.ok(posts.every(post => codePoints(post) <= limit))
    if (posts.length > 1) {
      const bodies = posts.map((post, index) => post.slice(0, post.length - ` (${index + 1}/${posts.length})`.length))
      assert.equal(bodies.join('').replace(/\s/gu, ''), text.replace(/\s/gu, ''))
    }
  }), { numRuns: 300 })
})

test('splitIntoPosts refuses a limit too small for a numbered part', () => {
  assert.throws(() => splitIntoPosts('text', 5), RangeError)
})
