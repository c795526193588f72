import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseSmsText } from '../../../src/sms/sms-text.ts'
import { validateSms, type SmsVerdict } from '../../../src/gateway/stages/validate-sms.ts'

test('validateSms passes on recipient, sender, body and every header', () => {
  const sms = parseSmsText('To: +31629845432\nSender: ACME\nX-Campaign: 42\n\nHello')
  assert.deepStrictEqual(validateSms(sms), {
    kind: 'continue',
    message: { to: '+31629845432', sender: 'ACME', body: 'Hello', headers: new Map([['To', '+31629845432'], ['Sender', 'ACME'], ['X-Campaign', '42']]) }
  })
})

test('validateSms leaves the sender out when the SMS has none', () => {
  const sms = parseSmsText('To: +1\n\n body ')
  assert.deepStrictEqual(validateSms(sms), { kind: 'continue', message: { to: '+1', body: ' body ', headers: new Map([['To', '+1']]) } })
})

// Spec §5 rows 10–13, then their order when several apply.
const rows: ReadonlyArray<readonly [condition: string, text: string, verdict: SmsVerdict]> = [
  ['To is missing (row 10)', 'Sender: TEST\n\nbody', { kind: 'status', status: 'INVALID', errorText: "SMS lacks recipient 'To' field" }],
  ['only a lower-case to is given (row 10)', 'to: +1\n\nbody', { kind: 'status', status: 'INVALID', errorText: "SMS lacks recipient 'To' field" }],
  ['To lacks the plus (row 11)', 'To: 31629845432\n\nbody', { kind: 'status', status: 'INVALID', errorText: 'SMS recipient not a full international number: 31629845432' }],
  ['To starts with 00 (row 11)', 'To: 0031629845432\n\nbody', { kind: 'status', status: 'INVALID', errorText: 'SMS recipient not a full international number: 0031629845432' }],
  ['To holds a letter (row 12)', 'To: +3162984543a\n\nbody', { kind: 'status', status: 'INVALID', errorText: 'SMS recipient not a valid number: +3162984543a' }],
  ['To holds a space (row 12)', 'To: +31 6 29845432\n\nbody', { kind: 'status', status: 'INVALID', errorText: 'SMS recipient not a valid number: +31 6 29845432' }],
  ['To is a plus alone (row 12)', 'To: +\n\nbody', { kind: 'status', status: 'INVALID', errorText: 'SMS recipient not a valid number: +' }],
  ['To holds non-ASCII digits (row 12)', 'To: +٣١٦\n\nbody', { kind: 'status', status: 'INVALID', errorText: 'SMS recipient not a valid number: +٣١٦' }],
  ['the body is empty (row 13)', 'To: +1\n\n', { kind: 'status', status: 'INVALID', errorText: 'SMS body is empty' }],
  ['To is missing and the body empty (row 10 first)', 'Sender: X\n\n', { kind: 'status', status: 'INVALID', errorText: "SMS lacks recipient 'To' field" }],
  ['To lacks the plus and holds a letter (row 11 first)', 'To: 3a\n\nbody', { kind: 'status', status: 'INVALID', errorText: 'SMS recipient not a full international number: 3a' }],
  ['To holds a letter and the body is empty (row 12 first)', 'To: +3a\n\n', { kind: 'status', status: 'INVALID', errorText: 'SMS recipient not a valid number: +3a' }]
]

for (const [condition, text, verdict] of rows) {
  test(`validateSms answers INVALID when ${condition}`, () => {
    assert.deepStrictEqual(validateSms(parseSmsText(text)), verdict)
  })
}

test('validateSms accepts a body of white space only (the backend checks blank bodies)', () => {
  assert.equal(validateSms(parseSmsText('To: +1\n\n \n ')).kind, 'continue')
})
