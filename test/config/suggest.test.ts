import assert from 'node:assert/strict'
import { test } from 'node:test'
import { closestName, didYouMean } from '../../src/config/suggest.ts'

test('closestName finds typos and other spellings of the same name', () => {
  const candidates = ['brokers', 'clientId', 'maxInFlight', 'sms.gateway.client-log.dir']
  assert.deepStrictEqual(
    ['brokerz', 'broker', 'client_id', 'max-in-flight', 'MAX_IN_FLIGHT', 'sms.gateway.clients-log.dir'].map(name => closestName(name, candidates)),
    ['brokers', 'brokers', 'clientId', 'maxInFlight', 'maxInFlight', 'sms.gateway.client-log.dir']
  )
})

test('closestName finds nothing when no candidate is a typo away', () => {
  assert.deepStrictEqual(
    [closestName('tls', ['host', 'port']), closestName('SMSGW_SMPP_TLS', ['SMSGW_SMPP_HOST']), closestName('x', [])],
    [undefined, undefined, undefined]
  )
})

test('didYouMean words the hint, or gives nothing', () => {
  assert.deepStrictEqual([didYouMean('prot', ['port']), didYouMean('zzz', ['port'])], ['; did you mean port?', ''])
})
