import assert from 'node:assert/strict'
import { test } from 'node:test'
import { linkHeader, windowOf } from '../../../src/relay/gateway-clients/pagination.ts'

// Upstream's Link header (build_link_header in the Gateway Server's src/utils.py) and the store's
// window of a page (relay-wire.md §5.1).

const BASE = 'http://gw.example/v3/clients'

test('linkHeader gives first and prev past page 1, self, then last and next before the last page', () => {
  assert.equal(linkHeader(BASE, { page: 1n, perPage: 10n }, 0), `<${BASE}?page=1&per_page=10>; rel="self"`)
  assert.equal(linkHeader(BASE, { page: 1n, perPage: 10n }, 10), `<${BASE}?page=1&per_page=10>; rel="self"`)
  assert.equal(linkHeader(BASE, { page: 1n, perPage: 10n }, 11),
    `<${BASE}?page=1&per_page=10>; rel="self", <${BASE}?page=2&per_page=10>; rel="last", <${BASE}?page=2&per_page=10>; rel="next"`)
  assert.equal(linkHeader(BASE, { page: 2n, perPage: 2n }, 7), [
    `<${BASE}?page=1&per_page=2>; rel="first"`, `<${BASE}?page=1&per_page=2>; rel="prev"`, `<${BASE}?page=2&per_page=2>; rel="self"`,
    `<${BASE}?page=4&per_page=2>; rel="last"`, `<${BASE}?page=3&per_page=2>; rel="next"`
  ].join(', '))
  assert.equal(linkHeader(BASE, { page: 9n, perPage: 2n }, 7), `<${BASE}?page=1&per_page=2>; rel="first", <${BASE}?page=8&per_page=2>; rel="prev", <${BASE}?page=9&per_page=2>; rel="self"`, 'past the last page: no last, no next')
})

test('windowOf clamps a page past any table to a window the stores take', () => {
  assert.deepStrictEqual(windowOf({ page: 3n, perPage: 10n }), { offset: 20, limit: 10 })
  assert.deepStrictEqual(windowOf({ page: 10n ** 30n, perPage: 10n ** 20n }), { offset: Number.MAX_SAFE_INTEGER, limit: Number.MAX_SAFE_INTEGER })
})
