import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { allowedErrorCodes, isSmsgwError, SmsgwError } from '../src/errors.ts'

test('docs/errors.md has a row for every error code', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')
  assert.deepEqual(allowedErrorCodes.filter(code => !doc.includes(`| \`${code}\` |`)), [])
})

test('isSmsgwError tells codes apart and carries retryable and cause', () => {
  const cause = new Error('below')
  const error = new SmsgwError('SMSGW_WRONG_KEY', 'payload was not sealed to this key', { cause, retryable: true })
  assert.deepEqual([isSmsgwError(error), isSmsgwError(error, 'SMSGW_WRONG_KEY'), isSmsgwError(error, 'SMSGW_BAD_MAGIC'), isSmsgwError(cause)], [true, true, false, false])
  assert.deepEqual([error.code, error.retryable, error.cause, error.name], ['SMSGW_WRONG_KEY', true, cause, 'SmsgwError'])
})
