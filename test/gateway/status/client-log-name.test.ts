import assert from 'node:assert/strict'
import { test } from 'node:test'
import { clientLogFileName } from '../../../src/gateway/status/client-log-name.ts'

const names: ReadonlyArray<readonly [clientId: string, fileName: string]> = [
  ['test', 'test.log'],
  ['Acme_Corp-2', 'Acme_Corp-2.log'],
  ['acme.io', 'acme.io.log'],
  ['../../etc/passwd', '%2E.%2F..%2Fetc%2Fpasswd.log'],
  ['a/b', 'a%2Fb.log'],
  ['.hidden', '%2Ehidden.log'],
  ['..', '%2E..log'],
  ['a%2Fb', 'a%252Fb.log'],
  ['C:\\x', 'C%3A%5Cx.log'],
  ['Grüße', 'Gr%C3%BC%C3%9Fe.log'],
  ['sp ace\n', 'sp%20ace%0A.log']
]

for (const [clientId, fileName] of names) {
  test(`clientLogFileName names the log of ${JSON.stringify(clientId)} ${fileName}`, () => {
    assert.equal(clientLogFileName(clientId), fileName)
  })
}

test('clientLogFileName gives distinct client-ids distinct names', () => {
  const clientIds = ['a/b', 'a%2Fb', 'a.b', 'a%2Eb', '.a', '%2Ea']
  assert.equal(new Set(clientIds.map(clientLogFileName)).size, clientIds.length)
})

test('clientLogFileName returns null when the client-id is empty or the name would exceed 255 bytes', () => {
  assert.equal(clientLogFileName(''), null)
  assert.equal(clientLogFileName('x'.repeat(251)), `${'x'.repeat(251)}.log`)
  assert.equal(clientLogFileName('x'.repeat(252)), null)
  assert.equal(clientLogFileName('/'.repeat(84)), null)
})
