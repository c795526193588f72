import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { after, test } from 'node:test'
import { smtpMailer, type SmtpServer } from '../../../src/relay/otp/smtp-mailer.ts'
import { addressOf, loopbackCertificate, startLoopbackSmtpServer } from './loopback-smtp-server.ts'

// The relay's SMTP sending (src/relay/otp/smtp-mailer.ts, nodemailer) against a real SMTP server
// on loopback: the `smtp-server` package in this process (loopback-smtp-server.ts).

const message = { from: 'otp@relay.example', to: 'someone@example.org', subject: 'RelaySMS Verification Code', text: 'first line\n.starts with a dot\n.\nlast line' }
const server = (port: number, more: Partial<SmtpServer> = {}): SmtpServer => ({ host: '127.0.0.1', port, tls: 'none', clientName: 'smsgw.test', timeoutMs: 5_000, ...more })

test('smtpMailer hands a message to an SMTP server in plaintext, and lines starting with a dot arrive whole', async () => {
  const smtp = await startLoopbackSmtpServer({ mode: 'none' })
  await smtpMailer(server(smtp.port))(message)
  const mail = await smtp.nextMail()
  assert.equal(mail.from, message.from)
  assert.deepEqual(mail.to, [message.to])
  assert.equal(mail.text, message.text, 'a lone dot did not end the message early, and no dot was lost')
  assert.deepEqual([addressOf(mail.headers.get('from')), addressOf(mail.headers.get('to')), mail.headers.get('subject')], [message.from, message.to, message.subject])
  assert.match(mail.headers.get('date') ?? '', /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/)
  assert.match(mail.headers.get('message-id') ?? '', /^<[0-9a-f-]{36}@smsgw>$/)
  assert.deepEqual([mail.tls, mail.auth], [false, undefined])
})

test('smtpMailer upgrades with STARTTLS, verifying the server certificate, then authenticates with AUTH PLAIN', async () => {
  const certificate = await loopbackCertificate()
  const smtp = await startLoopbackSmtpServer({ mode: 'starttls', user: 'relay', password: 'pa ss:wörd', certificate })
  await smtpMailer(server(smtp.port, { tls: 'starttls', user: 'relay', password: 'pa ss:wörd', ca: certificate.cert }))(message)
  const mail = await smtp.nextMail()
  assert.deepEqual([mail.tls, mail.auth, mail.to], [true, { method: 'PLAIN', user: 'relay' }, [message.to]])
})

test('smtpMailer speaks TLS from the start in tls mode', async () => {
  const certificate = await loopbackCertificate()
  const smtp = await startLoopbackSmtpServer({ mode: 'tls', user: 'relay', password: 'secret', certificate })
  await smtpMailer(server(smtp.port, { tls: 'tls', user: 'relay', password: 'secret', ca: certificate.cert }))(message)
  const mail = await smtp.nextMail()
  assert.deepEqual([mail.tls, mail.auth], [true, { method: 'PLAIN', user: 'relay' }])
})

test('smtpMailer fails naming the step and the reply code, never the credentials or addresses', async () => {
  const certificate = await loopbackCertificate()
  const smtp = await startLoopbackSmtpServer({ mode: 'starttls', user: 'relay', password: 'secret', certificate })
  await assert.rejects(smtpMailer(server(smtp.port, { tls: 'starttls', user: 'relay', password: 'wrong', ca: certificate.cert }))(message), { message: 'the SMTP server answered AUTH with 535' })
  await assert.rejects(smtpMailer(server(smtp.port, { tls: 'none', user: 'relay', password: 'secret' }))(message), { message: 'the SMTP server answered AUTH with 538' }, 'credentials in plaintext are refused before STARTTLS')
  await assert.rejects(smtpMailer(server(smtp.port, { tls: 'none' }))(message), { message: 'the SMTP server answered MAIL FROM with 530' }, 'and so is a mail without them')
  await assert.rejects(smtpMailer(server(smtp.port, { tls: 'starttls', user: 'relay', password: 'secret' }))(message), { message: 'SMTP connection failed: DEPTH_ZERO_SELF_SIGNED_CERT (at connection)' }, 'an untrusted certificate is refused (at STARTTLS: the plaintext connection has none)')
  const implicit = await startLoopbackSmtpServer({ mode: 'tls', certificate })
  await assert.rejects(smtpMailer(server(implicit.port, { tls: 'tls' }))(message), { message: 'SMTP connection failed: DEPTH_ZERO_SELF_SIGNED_CERT (at connection)' }, 'also from the start')
  const plain = await startLoopbackSmtpServer({ mode: 'none' })
  await assert.rejects(smtpMailer(server(plain.port, { tls: 'starttls' }))(message), { message: 'the SMTP server does not offer STARTTLS' })
  await assert.rejects(smtpMailer(server(plain.port))({ ...message, to: 'a@b.c>\r\nRCPT TO:<x@y.z' }), { message: 'the mail\'s to is not a plain ASCII address' })
  await assert.rejects(smtpMailer(server(plain.port))({ ...message, to: 'a@b.c,x@y.z' }), { message: 'the mail\'s to is not a plain ASCII address' }, 'nor a list nodemailer would send to')
  await assert.rejects(smtpMailer(server(plain.port))({ ...message, from: 'Relay <otp@relay.example>' }), { message: 'the mail\'s from is not a plain ASCII address' })
  await plain.close()
  await assert.rejects(smtpMailer(server(plain.port))(message), { message: /^SMTP connection failed: ECONNREFUSED \(at connection\)$/ })
})

test('smtpMailer gives up on a server that accepts the connection and never greets', async () => {
  const sockets = new Set<Socket>()
  const silent = createServer(socket => { sockets.add(socket) })
  silent.listen(0, '127.0.0.1')
  await once(silent, 'listening')
  after(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise(resolve => { silent.close(resolve) })
  })
  const started = Date.now()
  await assert.rejects(smtpMailer(server((silent.address() as AddressInfo).port, { timeoutMs: 300 }))(message), { message: 'the SMTP server did not answer in time (at connection)' })
  assert.ok(Date.now() - started < 3_000, 'within about the timeout, not nodemailer\'s default 30 s greeting wait')
})
