import assert from 'node:assert/strict'
import { test } from 'node:test'
import { validateForBackend, type BackendRules, type BackendVerdict } from '../../../src/gateway/stages/validate-for-backend.ts'
import type { OutboundSms } from '../../../src/gateway/stages/validate-sms.ts'

const sms = (to: string, sender: string | undefined, body = 'Hello'): OutboundSms => {
  const headers = new Map([['To', to], ...(sender === undefined ? [] : [['Sender', sender] as [string, string]])])
  return { to, ...(sender === undefined ? {} : { sender }), body, headers }
}
const tanzania: BackendRules = { allowedPrefixes: ['+255'], numberPattern: /\+255\d{9}/ }

test('validateForBackend passes an SMS that meets every rule, sender made required', () => {
  const message = sms('+255712345678', 'ACME')
  assert.deepStrictEqual(validateForBackend(message, tanzania), { kind: 'continue', message })
})

test('validateForBackend passes every recipient when no prefixes and no pattern are configured', () => {
  const message = sms('+31629845432', 'ACME')
  assert.deepStrictEqual(validateForBackend(message, { allowedPrefixes: [] }), { kind: 'continue', message })
})

test('validateForBackend passes a recipient matching any one of several prefixes', () => {
  const message = sms('+31629845432', 'ACME')
  assert.deepStrictEqual(validateForBackend(message, { allowedPrefixes: ['+255', '+31'] }), { kind: 'continue', message })
})

// Spec §5, backend checks, in order; the first failing one decides.
const rows: ReadonlyArray<readonly [condition: string, message: OutboundSms, verdict: BackendVerdict]> = [
  ['the recipient lies outside the allowed prefixes', sms('+31629845432', 'ACME'),
    { kind: 'status', status: 'INVALID', errorText: 'Gateway disallows foreign SMS recipient: +31629845432' }],
  ['the recipient fails the number pattern (too short)', sms('+25571234567', 'ACME'),
    { kind: 'status', status: 'INVALID', errorText: 'Recipient number invalid for SMPP backend: +25571234567' }],
  ['the recipient matches the pattern in part only (too long)', sms('+2557123456789', 'ACME'),
    { kind: 'status', status: 'INVALID', errorText: 'Recipient number invalid for SMPP backend: +2557123456789' }],
  ['the SMS has no Sender', sms('+255712345678', undefined),
    { kind: 'status', status: 'INVALID', errorText: 'SMPP backend requires a message sender' }],
  ['the Sender has 12 characters', sms('+255712345678', 'ACME Company'),
    { kind: 'status', status: 'INVALID', errorText: 'SMS sender does not have a 1-11 character length: ACME Company' }],
  ['the Sender is empty', sms('+255712345678', ''),
    { kind: 'status', status: 'INVALID', errorText: 'SMS sender does not have a 1-11 character length: ' }],
  ['the Sender holds a line separator', sms('+255712345678', 'A\u2028B'),
    { kind: 'status', status: 'INVALID', errorText: 'SMS sender does not have a 1-11 character length: A\u2028B' }],
  ['the body is empty', sms('+255712345678', 'ACME', ''),
    { kind: 'status', status: 'INVALID', errorText: 'SMS message is empty' }],
  ['the body is white space only', sms('+255712345678', 'ACME', ' \n\t '),
    { kind: 'status', status: 'INVALID', errorText: 'SMS message is empty' }],
  ['the recipient is foreign and the sender missing (prefix first)', sms('+31629845432', undefined),
    { kind: 'status', status: 'INVALID', errorText: 'Gateway disallows foreign SMS recipient: +31629845432' }],
  ['the number fails and the body is blank (pattern first)', sms('+2551', 'ACME', ' '),
    { kind: 'status', status: 'INVALID', errorText: 'Recipient number invalid for SMPP backend: +2551' }],
  ['the sender is missing and the body blank (sender first)', sms('+255712345678', undefined, ''),
    { kind: 'status', status: 'INVALID', errorText: 'SMPP backend requires a message sender' }]
]

for (const [condition, message, verdict] of rows) {
  test(`validateForBackend answers INVALID when ${condition}`, () => {
    assert.deepStrictEqual(validateForBackend(message, tanzania), verdict)
  })
}

test('validateForBackend counts sender characters as code points, up to 11', () => {
  const eleven = sms('+255712345678', '👋'.repeat(11))
  assert.deepStrictEqual(validateForBackend(eleven, tanzania), { kind: 'continue', message: eleven })
  assert.equal(validateForBackend(sms('+255712345678', '👋'.repeat(12)), tanzania).kind, 'status')
  assert.equal(validateForBackend(sms('+255712345678', 'X'), tanzania).kind, 'continue')
})

test('validateForBackend matches a global or sticky pattern the same way on every call', () => {
  const rules: BackendRules = { allowedPrefixes: [], numberPattern: /\+255\d{9}/gy }
  const message = sms('+255712345678', 'ACME')
  for (let call = 0; call < 3; call++) assert.deepStrictEqual(validateForBackend(message, rules), { kind: 'continue', message })
  assert.equal(rules.numberPattern?.lastIndex, 0)
})

test('validateForBackend takes a pattern with alternatives as a whole', () => {
  const rules: BackendRules = { allowedPrefixes: [], numberPattern: /\+1\d{10}|\+44\d{10}/ }
  assert.equal(validateForBackend(sms('+447700900123', 'ACME'), rules).kind, 'continue')
  assert.equal(validateForBackend(sms('+4477009001234', 'ACME'), rules).kind, 'status')
})
