import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dotStuffed, sendMail, type SmtpServer } from '../../../src/relay/otp/smtp-client.ts'
import { loopbackCertificate, startPythonSmtpServer } from './python-smtp-server.ts'

// Our SMTP client (src/relay/otp/smtp-client.ts) against a real SMTP server on loopback: Python's
// standard smtpd, with AUTH PLAIN and STARTTLS added (python-smtp-server.ts says why that one).

const message = { from: 'otp@relay.example', to: 'someone@example.org', subject: 'RelaySMS Verification Code', text: 'first line\n.starts with a dot\n.\nlast line' }
const server = (port: number, more: Partial<SmtpServer> = {}): SmtpServer => ({ host: '127.0.0.1', port, tls: 'none', clientName: 'smsgw.test', timeoutMs: 5_000, ...more })

test('sendMail hands a message to an SMTP server in plaintext, dot-stuffed so that lines starting with a dot arrive whole', async () => {
  const smtp = await startPythonSmtpServer({ mode: 'none' })
  await sendMail(server(smtp.port), message)
  const mail = await smtp.nextMail()
  assert.equal(mail.from, message.from)
  assert.deepEqual(mail.to, [message.to])
  const [headers, body] = mail.data.split('\n\n', 2) as [string, string]
  assert.equal(body, message.text, 'a lone dot did not end the message early, and no dot was lost')
  assert.match(headers, /^From: <otp@relay\.example>$/m)
  assert.match(headers, /^To: <someone@example\.org>$/m)
  assert.match(headers, /^Subject: RelaySMS Verification Code$/m)
  assert.match(headers, /^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/m)
  assert.match(headers, /^Message-ID: <[0-9a-f-]{36}@smsgw>$/m)
})

test('sendMail upgrades with STARTTLS, verifying the server certificate, then authenticates with AUTH PLAIN', async () => {
  const certificate = await loopbackCertificate()
  const smtp = await startPythonSmtpServer({ mode: 'starttls', user: 'relay', password: 'pa ss:wörd', ...certificate })
  await sendMail(server(smtp.port, { tls: 'starttls', user: 'relay', password: 'pa ss:wörd', ca: certificate.cert }), message)
  const mail = await smtp.nextMail()
  assert.deepEqual([mail.tls, mail.to], [true, [message.to]])
})

test('sendMail speaks TLS from the start in tls mode', async () => {
  const certificate = await loopbackCertificate()
  const smtp = await startPythonSmtpServer({ mode: 'tls', user: 'relay', password: 'secret', ...certificate })
  await sendMail(server(smtp.port, { tls: 'tls', user: 'relay', password: 'secret', ca: certificate.cert }), message)
  assert.equal((await smtp.nextMail()).tls, true)
})

test('sendMail fails naming the step and the reply code, never the credentials or addresses', async () => {
  const certificate = await loopbackCertificate()
  const smtp = await startPythonSmtpServer({ mode: 'starttls', user: 'relay', password: 'secret', ...certificate })
  await assert.rejects(sendMail(server(smtp.port, { tls: 'starttls', user: 'relay', password: 'wrong', ca: certificate.cert }), message), { message: 'the SMTP server answered AUTH with 535' })
  await assert.rejects(sendMail(server(smtp.port, { tls: 'none', user: 'relay', password: 'secret' }), message), { message: 'the SMTP server answered MAIL FROM with 530' }, 'plaintext MAIL is refused before STARTTLS')
  await assert.rejects(sendMail(server(smtp.port, { tls: 'starttls', user: 'relay', password: 'secret' }), message), { message: /^SMTP connection failed: \S+ \(at STARTTLS\)$/ }, 'an untrusted certificate is refused')
  const implicit = await startPythonSmtpServer({ mode: 'tls', ...certificate })
  await assert.rejects(sendMail(server(implicit.port, { tls: 'tls' }), message), { message: /^SMTP connection failed: \S+ \(at greeting\)$/ }, 'also from the start')
  const plain = await startPythonSmtpServer({ mode: 'none' })
  await assert.rejects(sendMail(server(plain.port, { tls: 'starttls' }), message), { message: 'the SMTP server does not offer STARTTLS' })
  await assert.rejects(sendMail(server(plain.port), { ...message, to: 'a@b.c>\r\nRCPT TO:<x@y.z' }), { message: 'the mail\'s to is not a plain ASCII address' })
  await plain.close()
  await assert.rejects(sendMail(server(plain.port), message), { message: /^SMTP connection failed: ECONNREFUSED \(at greeting\)$/ })
})

test('dotStuffed doubles the dot at the start of a line only', () => {
  assert.equal(dotStuffed('a\r\n.b\r\n.\r\nc.d'), 'a\r\n..b\r\n..\r\nc.d')
  assert.equal(dotStuffed('.first'), '..first')
})
