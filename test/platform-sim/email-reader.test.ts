import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeEmailMessage } from '../../src/platform-sim/email-reader.ts'

// The simulated Gmail's reader of the messages it is sent: what a mail client shows.

test('decodeEmailMessage unfolds headers and decodes B and Q encoded-words, dropping the space between adjacent ones', () => {
  const raw = Buffer.from([
    'To: =?UTF-8?Q?Zo=C3=AB_Ndiaye?= <zoe@example.org>',
    'Subject: =?UTF-8?B?SGFiYXJp?=',
    ' =?utf-8?q?_za_asubuhi?= and more',
    'Content-Type: text/plain; charset="utf-8"',
    '',
    'body',
    ''
  ].join('\r\n'))
  const message = decodeEmailMessage(raw) ?? assert.fail('not read')
  assert.equal(message.to, 'Zoë Ndiaye <zoe@example.org>')
  assert.equal(message.subject, 'Habari za asubuhi and more')
  assert.equal(message.body, 'body')
  assert.deepStrictEqual(Object.keys(message.headers), ['to', 'subject', 'content-type'])
})

test('decodeEmailMessage decodes a quoted-printable body, soft line breaks joined', () => {
  const raw = Buffer.from('To: a@example.org\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHabari =C3=BC=\r\nber alles\r\n')
  assert.equal(decodeEmailMessage(raw)?.body, 'Habari über alles')
})

test('decodeEmailMessage reads nothing without a header block or with a line that is no header, and keeps an unknown charset as written', () => {
  assert.equal(decodeEmailMessage(Buffer.from('no blank line at all')), undefined)
  assert.equal(decodeEmailMessage(Buffer.from('To: a@example.org\r\nnot a header\r\n\r\nbody')), undefined)
  assert.equal(decodeEmailMessage(Buffer.from('Subject: =?x-nonesuch?B?YQ==?=\r\n\r\n'))?.subject, '=?x-nonesuch?B?YQ==?=')
})
