import assert from 'node:assert/strict'
import { test } from 'node:test'
import { defaultRoutes, LOOPBACK_BACKEND, routeRequest, type RouteRule } from '../../../src/gateway/stages/route.ts'

const table: readonly RouteRule[] = [
  ...defaultRoutes,
  { clients: ['acme'], prefixes: ['+255'], backend: 'smpp-tz' },
  { prefixes: ['+254', '+256'], backend: 'smpp-ea' },
  { clients: ['acme', 'beta'], backend: 'smpp-acme' }
]

test('defaultRoutes sends client test to the loopback backend, first', () => {
  assert.deepStrictEqual(defaultRoutes, [{ clients: ['test'], backend: 'loopback' }])
  assert.equal(LOOPBACK_BACKEND, 'loopback')
})

const routes: ReadonlyArray<readonly [condition: string, clientId: string, to: string, backend: string]> = [
  ['the client is test, whatever the recipient', 'test', '+255712345678', 'loopback'],
  ['client and prefix match the first configured rule', 'acme', '+255712345678', 'smpp-tz'],
  ['only the prefix matches, for any client', 'zeta', '+256712345678', 'smpp-ea'],
  ['the prefix rule comes before the client rule', 'acme', '+254712345678', 'smpp-ea'],
  ['only the client matches', 'beta', '+31629845432', 'smpp-acme'],
  ['no rule matches', 'zeta', '+31629845432', 'smpp-default'],
  ['the client differs in case only', 'TEST', '+31629845432', 'smpp-default']
]

for (const [condition, clientId, to, backend] of routes) {
  test(`routeRequest picks ${backend} when ${condition}`, () => {
    assert.equal(routeRequest({ clientId, to }, table, 'smpp-default'), backend)
  })
}

test('routeRequest returns the default when the table is empty', () => {
  assert.equal(routeRequest({ clientId: 'test', to: '+1' }, [], 'smpp'), 'smpp')
})

test('routeRequest takes a rule without filters, or with empty ones, as a catch-all', () => {
  assert.equal(routeRequest({ clientId: 'x', to: '+1' }, [{ backend: 'all' }], 'smpp'), 'all')
  assert.equal(routeRequest({ clientId: 'x', to: '+1' }, [{ clients: [], prefixes: [], backend: 'all' }], 'smpp'), 'all')
})
