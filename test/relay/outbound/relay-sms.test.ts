import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { openPayload } from '../../../src/crypto/payload/index.ts'
import { keyIdOf, type VaultKey } from '../../../src/crypto/vault/vault-key.ts'
import type { RequestIngress } from '../../../src/gateway/request-ingress.ts'
import { smsOtpDelivery } from '../../../src/relay/otp/sms-otp-delivery.ts'
import { relaySmsSender } from '../../../src/relay/outbound/relay-sms.ts'
import { parseSmsText } from '../../../src/sms/sms-text.ts'

// The relay's own SMS go to the outbound side as requests of its client, sealed with that client's
// vault key as its holder (v2 suite 03): the gateway opens them with the same vault, by key id.

interface QueuedRequest { 'client-id': string, 'correl-id': string, deadline: string, payload: string }

function vaultKey (type: 'rsa' | 'x25519', alias = 'relay'): VaultKey {
  const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('x25519')
  return { alias, type, privateKey: pair.privateKey, publicKey: pair.publicKey, keyId: keyIdOf(pair.publicKey) }
}

function capturingIngress (): { ingress: RequestIngress, requests: QueuedRequest[] } {
  const requests: QueuedRequest[] = []
  return {
    requests,
    ingress: {
      accept: async values => { requests.push(...values.map(value => JSON.parse(value) as QueuedRequest)) },
      queued: () => false
    }
  }
}

for (const type of ['x25519', 'rsa'] as const) {
  test(`relaySmsSender queues a suite 03 request that the client's ${type} vault key opens to the SMS text`, async () => {
    const key = vaultKey(type)
    const { ingress, requests } = capturingIngress()
    const deadlineMs = Date.parse('2030-01-02T03:04:05.000Z')
    await relaySmsSender({ ingress, clientId: 'relay', key, sender: 'RelaySMS' }).send('+237650000001', 'RelaySMS Delivery: sent', 'notice', deadlineMs)
    const [request] = requests
    assert.ok(request !== undefined && requests.length === 1)
    assert.deepEqual({ clientId: request['client-id'], deadline: request.deadline }, { clientId: 'relay', deadline: '2030-01-02T03:04:05.000Z' })
    assert.match(request['correl-id'], /^relay-notice-[0-9a-f-]{36}$/)
    assert.equal(Buffer.from(request.payload, 'base64')[4], 0x03)
    assert.deepEqual(parseSmsText(openPayload(request.payload, [key]).toString('utf8')),
      parseSmsText('To: +237650000001\nSender: RelaySMS\n\nRelaySMS Delivery: sent'))
  })
}

test('after a rotation the request sealed with the key the relay was given still opens among the client\'s keys, by its key id', async () => {
  const given = vaultKey('x25519', 'relay~0011223344556677')
  const current = vaultKey('x25519')
  const { ingress, requests } = capturingIngress()
  await smsOtpDelivery({ ingress, clientId: 'relay', key: given, sender: 'RelaySMS' }).deliver('+237650000001', '123456', Date.now() + 60_000)
  const payload = requests[0]?.payload ?? ''
  assert.equal(parseSmsText(openPayload(payload, [current, given]).toString('utf8')).body, 'Your RelaySMS Verification Code is: 123456')
  assert.throws(() => openPayload(payload, [current]), { code: 'SMSGW_UNKNOWN_KEY' })
})
