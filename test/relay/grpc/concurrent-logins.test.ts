import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { INVALID_TOKEN_DETAILS } from '../../../src/relay/grpc/rpc-failure.ts'
import { agree } from '../../../src/relay/ratchet/index.ts'
import { computeDeviceId, decryptPayload, findAccount, openKeyPair, openPublicKey, openRatchetState, type RelayVault } from '../../../src/relay/vault/index.ts'
import type { RelayAccountStore } from '../../../src/store/relay-accounts.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { newRing } from '../vault/stored-vault.ts'
import { completeOnApp, keyFields, newAppKeys, type AppKeys, type LoggedIn } from './app-client.ts'
import { OTP_CODE, startEntityHarness, TEST_PHONE, type EntityHarness } from './entity-harness.ts'

// Issue 11, "Bad input and faults": concurrent logins (and decryptions) for one account on two
// instances leave one consistent state. Two vault servers over two connections to one store (one
// SQLite file; one PostgreSQL schema) complete AuthenticateEntity step 2 for the same account at
// the same time, with the development code, while both decrypt the old device's messages. Every
// login answers success (each is a completed login, the later one cutting off the earlier device,
// as a login after it would); afterwards the account holds one login's keys, device id and ratchet
// state and nothing of another's, that login's app decrypts and its token is accepted, and every
// other device is logged out. The decryptions' compare-and-set is what keeps an old device's
// advanced state from being written over a new login's (decrypt-payload.ts).

const kinds = await storeKinds('relay-grpc-logins')
const PASSWORD = 'Str0ng!pass'
const LOGINS_PER_INSTANCE = 2
const ROUNDS = 2
const invalidToken = { code: status.UNAUTHENTICATED, details: INVALID_TOKEN_DETAILS }

interface Device { readonly keys: AppKeys, readonly app: LoggedIn, readonly deviceId: Buffer }

function deviceOf (keys: AppKeys, response: Record<string, unknown>): Device {
  const app = completeOnApp(keys, response)
  return { keys, app, deviceId: computeDeviceId(app.deviceSecret, TEST_PHONE, keys.deviceId.publicKey) }
}

const login = async (harness: EntityHarness, keys: AppKeys): Promise<Record<string, unknown>> =>
  await harness.call.AuthenticateEntity({ phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(keys), ownership_proof_response: OTP_CODE })

/** Decrypts as the publisher would: SMSGW_RELAY_BUSY is retryable and its attempt changed nothing. */
/** The accounts of `accounts`, whose updates wait for `gate`: an instance whose write arrives late. */
function writesHeldUntil (accounts: RelayAccountStore, gate: Promise<unknown>): RelayAccountStore {
  return {
    create: async account => await accounts.create(account),
    get: entityId => accounts.get(entityId),
    findByDeviceLookup: deviceLookup => accounts.findByDeviceLookup(deviceLookup),
    entityIdByDeviceLookup: deviceLookup => accounts.entityIdByDeviceLookup(deviceLookup),
    update: async (entityId, expectedVersion, changes) => {
      await gate.catch(() => {})
      return await accounts.update(entityId, expectedVersion, changes)
    },
    remove: async entityId => await accounts.remove(entityId),
    entityIdsAfter: (afterId, limit) => accounts.entityIdsAfter(afterId, limit),
    count: () => accounts.count()
  }
}

async function decryptRetrying (vault: RelayVault, deviceId: Buffer, framed: Buffer): Promise<string> {
  for (;;) {
    const outcome = await decryptPayload(vault, { deviceId }, framed)
    if (outcome.ok) return outcome.value.plaintext.toString()
    if (!outcome.error.retryable) return outcome.error.code
  }
}

/**
 * The one device the stored account belongs to, among `devices`: its client keys, the server keys
 * it was answered, the device id it derives and the ratchet state (fresh, on that login's server
 * publish key) all from one login.
 */
async function storedDevice (vault: RelayVault, devices: readonly Device[]): Promise<Device> {
  const account = unwrap(await findAccount(vault, { identifier: TEST_PHONE }))
  const clientPublish = unwrap(openPublicKey(vault, account, 'clientPublishPublicKey'))
  const owners = devices.filter(device => device.keys.publish.publicKey.equals(clientPublish))
  assert.equal(owners.length, 1, 'the stored client publish key is one login\'s')
  const owner = owners[0] as Device
  assert.deepEqual(unwrap(openPublicKey(vault, account, 'clientDeviceIdPublicKey')), owner.keys.deviceId.publicKey, 'the client device-id key of the same login')
  const serverPublish = unwrap(openKeyPair(vault, account, 'serverPublishKeyPair'))
  assert.deepEqual(serverPublish.publicKey, owner.app.serverPublishPublicKey, 'the server publish key that login was answered')
  const state = unwrap(openRatchetState(vault, account))
  const sharedSecret = agree(owner.keys.publish.privateKey, owner.app.serverPublishPublicKey)
  assert.deepEqual([state.sendingKeyPair.publicKey, state.rootKey, state.receivingChainKey], [serverPublish.publicKey, sharedSecret, undefined], 'a fresh ratchet of that login: its key pair, its shared secret as root key, no chain yet')
  assert.equal(unwrap(await findAccount(vault, { deviceId: owner.deviceId })).entityId, account.entityId, 'found by that login\'s device id')
  return owner
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('two instances completing logins for one account at once, while decrypting, leave one login\'s keys, device id and ratchet', async t => {
      const location = await kind.newLocation()
      const shared = { pepper: randomBytes(32), keys: newRing() }
      const instances = [await startEntityHarness(await kind.open(location), [TEST_PHONE], shared), await startEntityHarness(await kind.open(location), [TEST_PHONE], shared)] as const
      t.after(async () => { for (const instance of instances) await instance.close() })
      const signUpKeys = newAppKeys()
      let current = deviceOf(signUpKeys, await instances[0].call.CreateEntity({ country_code: 'CM', phone_number: TEST_PHONE, password: PASSWORD, ...keyFields(signUpKeys), ownership_proof_response: OTP_CODE }))
      for (let round = 0; round < ROUNDS; round++) {
        const logins = instances.flatMap(instance => Array.from({ length: LOGINS_PER_INSTANCE }, () => ({ instance, keys: newAppKeys() })))
        const logging = { done: false }
        const completing = Promise.all(logins.map(async ({ instance, keys }) => ({ keys, response: await login(instance, keys) })))
          .finally(() => { logging.done = true })
        // Meanwhile the old device's messages are decrypted. On the first instance one decryption
        // reads the row before the logins write and writes after all of them (a slow instance): it
        // must lose its compare-and-set and then find the device gone, or it would put the old
        // device's state back under the new login's keys. On the second, decryptions one after
        // another until the device is gone or the logins are done.
        const oldDevice = current
        const late = { ...instances[0].vault, accounts: writesHeldUntil(instances[0].vault.accounts, completing) }
        const heldText = `round ${round} held`
        const held = decryptRetrying(late, oldDevice.deviceId, oldDevice.app.send(heldText))
        const running = async (): Promise<Array<readonly [string, string]>> => {
          const outcomes: Array<readonly [string, string]> = []
          while (!logging.done) {
            const text = `round ${round} old device ${outcomes.length}`
            const outcome = await decryptRetrying(instances[1].vault, oldDevice.deviceId, oldDevice.app.send(text))
            outcomes.push([text, outcome])
            if (outcome === errorCodes.relayAccountMissing) break
          }
          return outcomes
        }
        const [responses, heldOutcome, decrypted] = await Promise.all([completing, held, running()])
        assert.equal(heldOutcome, errorCodes.relayAccountMissing, `round ${round}: the decryption that read before the logins wrote nothing after them`)
        for (const { response } of responses) assert.equal(response.message, 'Entity authenticated successfully!', `round ${round}: every login completes`)
        // The old device's messages: each decrypted (before the logins' write) or its device gone (after).
        assert.deepEqual(decrypted.filter(([text, outcome]) => outcome !== text && outcome !== errorCodes.relayAccountMissing), [], `round ${round}`)
        const devices = responses.map(({ keys, response }) => deviceOf(keys, response))
        const owners = [await storedDevice(instances[0].vault, devices), await storedDevice(instances[1].vault, devices)]
        assert.equal(owners[0], owners[1], 'both instances read the same login')
        const owner = owners[0] as Device
        for (const instance of instances) {
          assert.equal(await decryptRetrying(instance.vault, owner.deviceId, owner.app.send(`round ${round} after`)), `round ${round} after`, 'the stored login\'s app decrypts on either instance')
          assert.equal((await instance.call.ListEntityStoredTokens({ long_lived_token: owner.app.token })).message, 'Tokens retrieved successfully.')
          for (const other of [current, ...devices].filter(device => device !== owner)) {
            assert.deepEqual(await instance.failure('ListEntityStoredTokens', { long_lived_token: other.app.token }), invalidToken, 'every other device is logged out')
            assert.equal(await decryptRetrying(instance.vault, other.deviceId, other.app.send('late')), errorCodes.relayAccountMissing)
          }
        }
        current = owner
      }
      for (const instance of instances) assert.deepEqual(instance.internalErrors, [])
    })
  })
}
