import assert from 'node:assert/strict'
import { generateKeyPairSync, X509Certificate } from 'node:crypto'
import { test } from 'node:test'
import { createSelfSignedCertificate } from '../../../src/crypto/vault/certificate.ts'

const notBefore = new Date('2026-03-01T10:20:30.456Z')

function describe (der: Buffer): unknown {
  const certificate = new X509Certificate(der)
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
    serialHexLength: certificate.serialNumber.length,
    publicKeyType: certificate.publicKey.asymmetricKeyType
  }
}

test('createSelfSignedCertificate signs an RSA key\'s certificate with the key itself', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const der = createSelfSignedCertificate('client1', privateKey, { notBefore })
  assert.deepStrictEqual(describe(der), {
    subject: 'CN=client1',
    issuer: 'CN=client1',
    validFrom: '2026-03-01T10:20:30.000Z',
    validTo: '2036-03-01T10:20:30.000Z',
    serialHexLength: 16,
    publicKeyType: 'rsa'
  })
  const certificate = new X509Certificate(der)
  assert.equal(certificate.verify(publicKey), true)
  assert.equal(certificate.checkIssued(certificate), true)
})

test('createSelfSignedCertificate carries an X25519 key under a signature it cannot verify', () => {
  const { privateKey, publicKey } = generateKeyPairSync('x25519')
  const der = createSelfSignedCertificate('x', privateKey, { notBefore })
  assert.deepStrictEqual(describe(der), {
    subject: 'CN=x',
    issuer: 'CN=x',
    validFrom: '2026-03-01T10:20:30.000Z',
    validTo: '2036-03-01T10:20:30.000Z',
    serialHexLength: 16,
    publicKeyType: 'x25519'
  })
  assert.deepStrictEqual(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }),
    publicKey.export({ type: 'spki', format: 'der' }))
})
