import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { SendRequest } from '../../../src/gateway/stages/parse-request.ts'
import { validateRequest, type RequestPolicy, type RequestVerdict } from '../../../src/gateway/stages/validate-request.ts'

const policy: RequestPolicy = { allowedClients: new Set(['test', 'acme']), now: new Date('2026-11-21T10:00:00Z') }
const FUTURE = '2100-01-01T00:00:00Z'
const PAST = '2026-11-21T09:59:59Z'

const base: SendRequest = { clientId: 'acme', correlId: 'C1', deadline: FUTURE, payload: 'ENCBA' }
const without = (request: SendRequest, field: 'deadline' | 'payload'): SendRequest => {
  const { [field]: _left, ...rest } = request
  return rest
}

test('validateRequest lets an allowed, complete, timely request continue with its parsed deadline', () => {
  assert.deepStrictEqual(validateRequest(base, policy), { kind: 'continue', deadline: new Date(FUTURE), payload: 'ENCBA' })
})

test('validateRequest lets a request continue when its deadline is exactly now', () => {
  assert.deepStrictEqual(validateRequest({ ...base, deadline: '2026-11-21T11:00:00+01:00' }, policy),
    { kind: 'continue', deadline: policy.now, payload: 'ENCBA' })
})

// Spec §5 rows 4–8, each alone, then every combination of row 4 with the others.
const rows: ReadonlyArray<readonly [condition: string, request: SendRequest, verdict: RequestVerdict]> = [
  ['the client is not in the allowed list (row 4)', { ...base, clientId: 'evil' },
    { kind: 'status', status: 'INVALID', errorText: 'Client ID is unknown or disallowed' }],
  ['the client differs from an allowed one in case only (row 4)', { ...base, clientId: 'Test' },
    { kind: 'status', status: 'INVALID', errorText: 'Client ID is unknown or disallowed' }],
  ['the payload is missing (row 5)', without(base, 'payload'),
    { kind: 'status', status: 'INVALID', errorText: 'Request lacks Payload field' }],
  ['the deadline is missing (row 6)', without(base, 'deadline'),
    { kind: 'status', status: 'INVALID', errorText: 'Request lacks Deadline field' }],
  ['the deadline is unparseable (row 7)', { ...base, deadline: '2100-01-01T00:00' },
    { kind: 'status', status: 'INVALID', errorText: 'Invalid deadline value: 2100-01-01T00:00' }],
  ['the deadline is empty (row 7)', { ...base, deadline: '' },
    { kind: 'status', status: 'INVALID', errorText: 'Invalid deadline value: ' }],
  ['the deadline lies before now (row 8)', { ...base, deadline: PAST },
    { kind: 'status', status: 'EXPIRED' }],
  ['the payload and the deadline are both missing (row 5 before row 6)', without(without(base, 'payload'), 'deadline'),
    { kind: 'status', status: 'INVALID', errorText: 'Request lacks Payload field' }],
  ['the payload is missing and the deadline unparseable (row 5 before row 7)', { ...without(base, 'payload'), deadline: 'soon' },
    { kind: 'status', status: 'INVALID', errorText: 'Request lacks Payload field' }],
  ['the client is disallowed and the payload missing (row 5 wins over row 4)', { ...without(base, 'payload'), clientId: 'evil' },
    { kind: 'status', status: 'INVALID', errorText: 'Request lacks Payload field' }],
  ['the client is disallowed and the deadline missing (row 6 wins over row 4)', { ...without(base, 'deadline'), clientId: 'evil' },
    { kind: 'status', status: 'INVALID', errorText: 'Request lacks Deadline field' }],
  ['the client is disallowed and the deadline unparseable (row 7 wins over row 4)', { ...base, clientId: 'evil', deadline: 'tomorrow' },
    { kind: 'status', status: 'INVALID', errorText: 'Invalid deadline value: tomorrow' }],
  ['the client is disallowed and the deadline past (row 4 wins over row 8: INVALID, not EXPIRED)', { ...base, clientId: 'evil', deadline: PAST },
    { kind: 'status', status: 'INVALID', errorText: 'Client ID is unknown or disallowed' }]
]

for (const [condition, request, verdict] of rows) {
  test(`validateRequest answers ${verdict.kind === 'status' ? verdict.status : verdict.kind} when ${condition}`, () => {
    assert.deepStrictEqual(validateRequest(request, policy), verdict)
  })
}

test('validateRequest refuses every client when the allowed list is empty', () => {
  assert.deepStrictEqual(validateRequest(base, { ...policy, allowedClients: new Set() }),
    { kind: 'status', status: 'INVALID', errorText: 'Client ID is unknown or disallowed' })
})

test('validateRequest answers INVALID, naming the problem, for a correl-id that breaks the limits, before rows 4-8', () => {
  const cases: ReadonlyArray<readonly [SendRequest, string]> = [
    [{ ...base, correlId: 'x'.repeat(257) }, 'Correlation ID field is longer than 256 bytes in UTF-8'],
    [{ ...base, correlId: 'x'.repeat(60_000), clientId: 'evil', deadline: PAST }, 'Correlation ID field is longer than 256 bytes in UTF-8'],
    [without({ ...base, correlId: 'a\ud800' }, 'payload'), 'Correlation ID field is not well-formed Unicode (it holds a lone surrogate)'],
    [{ ...base, correlId: 'a\tb' }, 'Correlation ID field holds a control character (U+0000-U+001F or U+007F-U+009F)']
  ]
  for (const [request, errorText] of cases) {
    assert.deepStrictEqual(validateRequest(request, policy), { kind: 'status', status: 'INVALID', errorText })
  }
  assert.deepStrictEqual(validateRequest({ ...base, correlId: 'x'.repeat(256) }, policy).kind, 'continue')
})
