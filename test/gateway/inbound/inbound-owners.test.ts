import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ownerOf } from '../../../src/gateway/inbound/inbound-owners.ts'

const owners = [
  { client: 'hotline', prefixes: ['+4940123'] },
  { client: 'acme', prefixes: ['+4940', '40404'] },
  { client: 'catchall', prefixes: [''] }
]

test('ownerOf gives the first owner with a prefix the recipient starts with; "" matches every recipient', () => {
  assert.deepStrictEqual(['+4940123456', '+4940999', '40404', '+331234', ''].map(recipient => ownerOf(owners, recipient)), ['hotline', 'acme', 'acme', 'catchall', 'catchall'])
})

test('ownerOf gives undefined when no prefix matches, and compares the recipient as written (with or without +)', () => {
  const table = owners.slice(0, 2)
  assert.deepStrictEqual(['4940123456', '+40404', '+331234'].map(recipient => ownerOf(table, recipient)), [undefined, undefined, undefined])
  assert.equal(ownerOf([], '+4940'), undefined)
})
