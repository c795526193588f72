import assert from 'node:assert/strict'
import { test } from 'node:test'
import { passwordWeakness } from '../../../src/relay/vault/index.ts'

// relay-wire.md §4: upstream's strength rules, first failing rule wins, its text shown verbatim.
test('passwordWeakness gives upstream\'s text for the first rule broken, in upstream\'s order', () => {
  assert.deepEqual(['Ab1!', 'ABCDEFG1!', 'abcdefg1!', 'Abcdefgh!', 'Abcdefgh1', 'Abcdefg1!', 'Ünïcödé1ß='].map(passwordWeakness), [
    'Password must be at least 8 characters long',
    'Password must include at least one lowercase letter (a-z)',
    'Password must include at least one uppercase letter (A-Z)',
    'Password must include at least one number (0-9)',
    'Password must include at least one special character from the following set: !@#$%^&*()_+-=',
    undefined,
    undefined
  ])
  // Length counts characters, not UTF-16 units: seven emoji and "aA1!" would be 11 characters.
  assert.equal(passwordWeakness('aA1!😀'), 'Password must be at least 8 characters long')
})
