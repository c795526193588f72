import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { loadConfig } from '../../../src/config/index.ts'
import { isSmsgwError } from '../../../src/errors.ts'
import { loadSealingKeyRing } from '../../../src/relay/vault/index.ts'
import { unwrap } from '../relaysms-vectors.ts'

// The sealing key ring through the one typed config (docs/configuration.md, `relay`).

test('the key ring comes from SMSGW_RELAY_SEALING_KEY through the config', async () => {
  const config = await loadConfig({ env: { SMSGW_RELAY_SEALING_KEY: `new ${randomBytes(32).toString('base64')},old ${randomBytes(32).toString('base64')}` } })
  const ring = unwrap(loadSealingKeyRing({ key: config.relay.sealingKey, keyFile: config.relay.sealingKeyFile }))
  assert.deepEqual([ring.current.id, [...ring.byId.keys()]], ['new', ['new', 'old']])
})

test('the key and the key file exclude each other, and the error does not echo the key', async () => {
  const key = `k1 ${randomBytes(32).toString('base64')}`
  await assert.rejects(loadConfig({ env: { SMSGW_RELAY_SEALING_KEY: key, SMSGW_RELAY_SEALING_KEY_FILE: '/run/secrets/sealing' } }), (error: unknown) => {
    assert.ok(isSmsgwError(error, 'SMSGW_CONFIG'))
    assert.match(error.message, /relay\.sealingKey: excludes relay\.sealingKeyFile/)
    assert.equal(error.message.includes(key.slice(3)), false)
    return true
  })
})
