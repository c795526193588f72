import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatSmsText, parseSmsText } from '../../src/sms/sms-text.ts'

const parsed = (text: string): { headers: Record<string, string>, body: string } => {
  const sms = parseSmsText(text)
  return { headers: Object.fromEntries(sms.headers), body: sms.body }
}

test('parseSmsText reads headers and body with LF line endings', () => {
  assert.deepEqual(parsed('To: +31629845432\nSender: TEST SENDER\n\nHello, S1D1 world'), {
    headers: { To: '+31629845432', Sender: 'TEST SENDER' },
    body: 'Hello, S1D1 world'
  })
})

test('parseSmsText joins body lines with LF and drops the final line ending when lines end in CRLF', () => {
  assert.deepEqual(parsed('To: +255712345678\r\nSender: ACME\r\n\r\nLine one\r\nLine two\r\n'), {
    headers: { To: '+255712345678', Sender: 'ACME' },
    body: 'Line one\nLine two'
  })
})

test('parseSmsText accepts CR line endings, spaces around the colon, and keeps the last repeated header', () => {
  assert.deepEqual(parsed('  To : +1 \rTo: +2\rPriority  :high\rX-Empty:\r\rbody\r\rend'), {
    headers: { To: '+2', Priority: 'high' },
    body: 'body\n\nend'
  })
})

test('parseSmsText removes a header when a repeated one is empty, as the older gateway did', () => {
  assert.deepEqual(parsed('To: +1\nSender: A\nTo:\n\nx'), { headers: { Sender: 'A' }, body: 'x' })
})

test('parseSmsText gives an empty body when nothing follows the empty line', () => {
  assert.deepEqual(parsed('To: +1\nSender: X\n\n'), { headers: { To: '+1', Sender: 'X' }, body: '' })
})

test('parseSmsText rejects a header line that is not Name: value', () => {
  assert.throws(() => parseSmsText('To: +1\n-Bad: x\n\nbody'), { code: 'SMSGW_BAD_SMS_TEXT', message: "Invalid message header: '-Bad: x'" })
  assert.throws(() => parseSmsText('To: +1\nno colon here\n\nbody'), { message: "Invalid message header: 'no colon here'" })
})

test('parseSmsText rejects text without the empty line after the headers', () => {
  assert.throws(() => parseSmsText('To: +1\nSender: TEST'), { code: 'SMSGW_BAD_SMS_TEXT', message: 'Invalid message: headers not terminated by empty line' })
  assert.throws(() => parseSmsText(''), { message: 'Invalid message: headers not terminated by empty line' })
})

test('formatSmsText writes what parseSmsText reads', () => {
  const text = formatSmsText({ To: '+31629845432', Sender: 'ACME' }, 'Two\nlines')
  assert.equal(text, 'To: +31629845432\nSender: ACME\n\nTwo\nlines')
  assert.deepEqual(parsed(text), { headers: { To: '+31629845432', Sender: 'ACME' }, body: 'Two\nlines' })
})
