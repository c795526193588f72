import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeEmailMessage, encodeHeaderText, type EmailFields } from '../../../src/relay/platforms/email-message.ts'
import { PlatformFailure } from '../../../src/relay/platforms/platform-adapter.ts'
import { decodeEmailMessage as readEmail, type ReadEmail } from '../../../src/platform-sim/email-reader.ts'

/** The message as a mail client reads it (the platform simulator's reader, written apart from the encoder). */
function decodeEmailMessage (raw: Buffer): ReadEmail {
  return readEmail(raw) ?? assert.fail('the message does not read')
}

const FIELDS: EmailFields = { from: 'me@example.org', to: 'you@example.org', cc: '', bcc: '', subject: 'Hello', body: 'Line one\nLine two' }

test('encodeEmailMessage writes the headers upstream sets and an ASCII body as 7bit with CRLF line ends', () => {
  const text = encodeEmailMessage({ ...FIELDS, cc: 'c@example.org', bcc: 'b@example.org' }).toString('utf8')
  assert.equal(text, [
    'To: you@example.org',
    'From: me@example.org',
    'Subject: Hello',
    'Cc: c@example.org',
    'Bcc: b@example.org',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="utf-8"',
    'Content-Transfer-Encoding: 7bit',
    '',
    'Line one',
    'Line two',
    ''
  ].join('\r\n'))
})

test('encodeEmailMessage leaves out empty Cc and Bcc', () => {
  const headers = decodeEmailMessage(encodeEmailMessage(FIELDS)).headers
  assert.deepStrictEqual(Object.keys(headers), ['to', 'from', 'subject', 'mime-version', 'content-type', 'content-transfer-encoding'])
})

test('encodeEmailMessage encodes a non-ASCII subject as RFC 2047 words of at most 75 characters and the body as base64', () => {
  const subject = 'Habari za asubuhi — سلام دنیا — 你好，世界 — ' + 'é'.repeat(40)
  const body = 'Karibu 🌍\nمرحبا'
  const raw = encodeEmailMessage({ ...FIELDS, subject, body })
  const text = raw.toString('utf8')
  assert.ok([...text].every(character => character.charCodeAt(0) < 0x80), 'the whole message is ASCII')
  const subjectLines = /Subject: ([^\r\n]*(?:\r\n [^\r\n]*)*)/.exec(text)?.[1]?.split('\r\n ') ?? []
  assert.ok(subjectLines.length > 1, 'a long subject is folded')
  for (const word of subjectLines) assert.match(word, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/)
  assert.ok(subjectLines.every(word => word.length <= 75))
  assert.match(text, /Content-Transfer-Encoding: base64/)
  const decoded = decodeEmailMessage(raw)
  assert.equal(decoded.subject, subject)
  assert.equal(decoded.body, 'Karibu 🌍\r\nمرحبا')
})

test('encodeHeaderText never splits a character across two encoded-words', () => {
  const text = '🌍'.repeat(30)
  const words = encodeHeaderText(text).split('\r\n ')
  assert.ok(words.length > 1)
  for (const word of words) {
    const bytes = Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)?.[1] ?? '', 'base64')
    assert.equal(Buffer.from(bytes.toString('utf8'), 'utf8').length, bytes.length, 'each word is whole UTF-8')
  }
})

test('encodeEmailMessage encodes a non-ASCII display name and keeps the address', () => {
  const decoded = decodeEmailMessage(encodeEmailMessage({ ...FIELDS, to: 'Zoë Ndiaye <zoe@example.org>, plain@example.org' }))
  assert.match(decoded.headers.to ?? '', /^=\?UTF-8\?B\?[^?]+\?= <zoe@example\.org>, plain@example\.org$/)
  assert.equal(decoded.to, 'Zoë Ndiaye <zoe@example.org>, plain@example.org')
})

test('encodeEmailMessage sends a body with a line over 998 characters as base64', () => {
  const body = 'x'.repeat(1200)
  const raw = encodeEmailMessage({ ...FIELDS, body })
  assert.match(raw.toString('utf8'), /Content-Transfer-Encoding: base64/)
  assert.equal(decodeEmailMessage(raw).body, body)
})

test('encodeEmailMessage refuses a CR or LF (or another control character) in any header field: no header injection', () => {
  const attempts: Array<Partial<EmailFields>> = [
    { subject: 'Hi\r\nBcc: victim@example.org' },
    { subject: 'Hi\nX-Injected: 1' },
    { to: 'you@example.org\r\n\r\nforged body' },
    { cc: 'c@example.org\rBcc: x@example.org' },
    { bcc: 'b@example.org\n' },
    { from: 'me@example.org\u0000' }
  ]
  for (const attempt of attempts) {
    assert.throws(() => encodeEmailMessage({ ...FIELDS, ...attempt }), (error: unknown) => {
      assert.ok(error instanceof PlatformFailure)
      assert.equal(error.kind, 'rejected')
      assert.match(error.message, /may not contain line breaks/)
      return true
    }, JSON.stringify(attempt))
  }
  // Line breaks in the body are the body's own.
  assert.doesNotThrow(() => encodeEmailMessage({ ...FIELDS, body: 'a\r\nBcc: x@example.org\n' }))
})

test('encodeEmailMessage refuses an empty To', () => {
  assert.throws(() => encodeEmailMessage({ ...FIELDS, to: '  ' }), PlatformFailure)
})
