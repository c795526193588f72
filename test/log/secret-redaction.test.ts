import assert from 'node:assert/strict'
import { test } from 'node:test'
import { redactSecrets } from '../../src/log/secret-redaction.ts'

// Issue 9, item 4: a key passed as `?api_key=` was refused but written whole to the request log.

test('redactSecrets cuts the values of secret-looking query parameters and keeps the rest of the URL', () => {
  const cases: Array<[string, string]> = [
    ['/v1/messages/C1?api_key=SECRET', '/v1/messages/C1?api_key=[redacted]'],
    ['/v1/messages?x=1&access_token=SECRET&y=2', '/v1/messages?x=1&access_token=[redacted]&y=2'],
    ['/hook?Password=SECRET;sig=SECRET#frag', '/hook?Password=[redacted];sig=[redacted]#frag'],
    ['/hook?api%5Fkey=SECRET&client-id=acme', '/hook?api%5Fkey=[redacted]&client-id=acme'],
    ['/hook?X-Amz-Signature=SECRET&X-Amz-Credential=SECRET&session=SECRET', '/hook?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]&session=[redacted]'],
    ['/dashboard/history?client-id=acme&correl-id=C1', '/dashboard/history?client-id=acme&correl-id=C1'],
    ['https://user:SECRET@hooks.example.org/x', 'https://user:[redacted]@hooks.example.org/x'],
    ['postgres://smsgw:***@db.example:5432/smsgw', 'postgres://smsgw:[redacted]@db.example:5432/smsgw'],
    ['Authorization: Bearer SECRET.x-y_z', 'Authorization: Bearer [redacted]'],
    ['Basic U0VDUkVUOlNFQ1JFVA==', 'Basic [redacted]'],
    ['a basic check of the bearer', 'a basic check of the bearer'],
    [`key smsgw_0123456789ab_${'S'.repeat(43)} and smsgw_op_0123456789ab_${'S'.repeat(43)}`, 'key smsgw_0123456789ab_[redacted] and smsgw_op_0123456789ab_[redacted]'],
    [`whsec_${'S'.repeat(43)}`, 'whsec_[redacted]'],
    // Names of tables and metrics are not secrets.
    ['smsgw_consumer_lease smsgw_requests_total', 'smsgw_consumer_lease smsgw_requests_total'],
    ['Route GET:/nowhere?token=SECRET not found', 'Route GET:/nowhere?token=[redacted] not found']
  ]
  assert.deepStrictEqual(cases.map(([text]) => [text, redactSecrets(text)]), cases)
})
