import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { connectSocket, SmscSession, socketConnector } from '../../../src/smpp/session/index.ts'
import type { SmppSocketOptions } from '../../../src/smpp/session/index.ts'
import { settle, submitBody } from './memory-link.ts'
import { TestSmsc } from './test-smsc.ts'

function sessionOver (t: TestContext, socket: SmppSocketOptions): SmscSession {
  const session = new SmscSession({ connect: socketConnector(socket), systemId: 'esme', password: 'pw', onDeliver: async () => {} })
  t.after(() => { session.destroy() })
  return session
}

/** A self-signed certificate for localhost and 127.0.0.1, made by openssl for this run. */
function selfSignedCertificate (t: TestContext): { key: Buffer, cert: Buffer } {
  const folder = mkdtempSync(join(tmpdir(), 'smsgw-smpp-tls-'))
  t.after(() => { rmSync(folder, { recursive: true, force: true }) })
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')
  ], { stdio: 'ignore' })
  return { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) }
}

test('socketConnector binds, submits and unbinds over TCP', async t => {
  const smsc = await TestSmsc.start()
  t.after(async () => { await smsc.close() })
  const session = sessionOver(t, { host: '127.0.0.1', port: smsc.port })
  await session.bound()
  assert.deepStrictEqual(await session.submit(submitBody()), { messageId: 'm1' })
  await session.close()
  assert.equal(await session.closed(), undefined)
  assert.deepStrictEqual(smsc.received.map(pdu => pdu.command), ['bind_transceiver', 'submit_sm', 'unbind'])
})

test('socketConnector connects over TLS to an SMSC whose certificate it is given', async t => {
  const { key, cert } = selfSignedCertificate(t)
  const smsc = await TestSmsc.start({}, { key, cert })
  t.after(async () => { await smsc.close() })
  const session = sessionOver(t, { host: '127.0.0.1', port: smsc.port, tls: { ca: cert, servername: 'localhost' } })
  await session.bound()
  assert.deepStrictEqual(await session.submit(submitBody()), { messageId: 'm1' })
  await session.close()
  // The same SMSC is refused when its certificate is not trusted.
  const untrusting = sessionOver(t, { host: '127.0.0.1', port: smsc.port, tls: {} })
  await assert.rejects(untrusting.bound(), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'SMSGW_SMPP_CONNECTION')
    assert.match(error.message, /self-signed certificate/)
    return true
  })
})

test('connectSocket rejects with SMSGW_SMPP_CONNECTION when nothing listens', async () => {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise(resolve => server.close(resolve))
  await assert.rejects(connectSocket({ host: '127.0.0.1', port }), (error: Error & { code?: string, retryable?: boolean }) => {
    assert.deepStrictEqual({ code: error.code, retryable: error.retryable }, { code: 'SMSGW_SMPP_CONNECTION', retryable: true })
    assert.match(error.message, new RegExp(`127.0.0.1:${port}.*ECONNREFUSED`))
    return true
  })
})

test('connectSocket gives up after connectTimeoutMs and when aborted, during a TLS handshake that never ends', async t => {
  // A TCP server that accepts and says nothing: the TLS handshake waits for ever.
  const silent = net.createServer(socket => { socket.on('error', () => {}) })
  await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
  t.after(() => { silent.close() })
  const { port } = silent.address() as net.AddressInfo
  await assert.rejects(connectSocket({ host: '127.0.0.1', port, tls: {}, connectTimeoutMs: 50 }), /no connection within 50 ms/)
  const controller = new AbortController()
  const connecting = connectSocket({ host: '127.0.0.1', port, tls: {} }, controller.signal)
  controller.abort()
  await assert.rejects(connecting, { code: 'SMSGW_SMPP_CONNECTION', message: /aborted/ })
})

test('socketTransport send waits for drain when the peer does not read, and rejects once the socket is closed', async t => {
  let serverSide: net.Socket | undefined
  const server = net.createServer(socket => {
    serverSide = socket
    socket.pause()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.after(() => { server.close() })
  const { port } = server.address() as net.AddressInfo
  const transport = await connectSocket({ host: '127.0.0.1', port })
  const big = Buffer.alloc(4 * 1024 * 1024)
  let drained = false
  const sending = transport.send(big).then(() => { drained = true })
  await settle()
  assert.equal(drained, false, 'write() returned false: send waits for drain')
  serverSide?.resume()
  await sending
  assert.equal(drained, true)
  transport.destroy()
  await assert.rejects(transport.send(Buffer.from([1])), { code: 'SMSGW_SMPP_CONNECTION' })
  serverSide?.destroy()
})
