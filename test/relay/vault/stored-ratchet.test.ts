import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import type { Outcome } from '../../../src/relay/outcome.ts'
import { generateX25519KeyPair, type RatchetState } from '../../../src/relay/ratchet/index.ts'
import { openRatchetState } from '../../../src/relay/vault/account-record.ts'
import { decryptPayload, encryptPayload, type AccountSelector, type DecryptedPayload, type RelayVault } from '../../../src/relay/vault/index.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { hex, keyPairOf, readVectors, unwrap, vectorState } from '../relaysms-vectors.ts'
import { COUNTRY_CODE, createTestAccount, newRing, vaultOver } from './stored-vault.ts'
import { appFor } from './test-app.ts'

// DecryptPayload and EncryptPayload over the stored, sealed account (relay.md §3 and §7): the
// state is read, advanced and written back sealed under the store's compare-and-set, on SQLite
// and PostgreSQL.

const kinds = await storeKinds('relay-vault')
const session = readVectors('ratchet-session.json')
const messages = new Map<string, any>(session.messages.map((message: any) => [message.id, message]))
const serverPublish = keyPairOf(session.initial.server_publish_keypair)
const clientPublish = keyPairOf(session.initial.client_publish_keypair)

/** What a caller does with SMSGW_RELAY_BUSY: it is retryable, and the failed attempt changed nothing. */
async function decryptRetrying (vault: RelayVault, selector: AccountSelector, framed: Buffer): Promise<Outcome<DecryptedPayload>> {
  for (;;) {
    const outcome = await decryptPayload(vault, selector, framed)
    if (outcome.ok || !outcome.error.retryable) return outcome
  }
}

function storedState (vault: RelayVault, account: Parameters<typeof openRatchetState>[1] | undefined): RatchetState {
  assert.ok(account !== undefined)
  return unwrap(openRatchetState(vault, account))
}

function shuffled<T> (items: readonly T[]): T[] {
  const copy = [...items]
  for (let index = copy.length - 1; index > 0; index--) {
    const other = randomBytes(1)[0] as number % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T]
  }
  return copy
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('the upstream session decrypts through the stored account in delivery order, every stored state as upstream\'s', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      vault.queued.push(serverPublish)
      const { entityId, deviceId } = await createTestAccount(vault, clientPublish.publicKey)
      let version = (await store.relay.get(entityId))?.stateVersion as number
      for (const delivery of session.deliveries) {
        const message = messages.get(delivery.message)
        if (delivery.action === 'server_decrypt') {
          vault.queued.push(...delivery.server_generated_ratchet_keys.map(keyPairOf))
          const result = unwrap(await decryptPayload(vault, { deviceId }, hex(message.framed_hex)))
          assert.deepEqual([result.plaintext.toString('hex'), result.countryCode, result.entityId], [delivery.expected_plaintext_hex, COUNTRY_CODE, entityId])
        } else {
          const reply = unwrap(await encryptPayload(vault, { entityId }, hex(message.plaintext_hex)))
          assert.equal(reply.toString('hex'), message.framed_hex)
        }
        assert.equal(vault.queued.length, 0, 'the ratchet used the keys upstream generated')
        const account = await store.relay.get(entityId)
        assert.deepEqual(vectorState(storedState(vault, account)), delivery.server_state_after, `stored state after ${delivery.message}`)
        assert.equal(account?.stateVersion, ++version, 'one write per message')
      }
      await store.close()
    })

    test('forged, replayed, malformed and misaddressed messages leave the stored account byte for byte as it was', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      vault.queued.push(serverPublish)
      const { entityId, deviceId } = await createTestAccount(vault, clientPublish.publicKey)
      // c0, c1, c3: the key of c2 is now stored as skipped.
      for (const delivery of session.deliveries.slice(0, 3)) {
        vault.queued.push(...delivery.server_generated_ratchet_keys.map(keyPairOf))
        unwrap(await decryptPayload(vault, { deviceId }, hex(messages.get(delivery.message).framed_hex)))
      }
      const before = await store.relay.get(entityId)
      const c2 = hex(messages.get('c2').framed_hex)
      const flipped = Buffer.from(c2)
      flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1
      const attempts: Array<[string, AccountSelector, Buffer, string]> = [
        ['replayed c3', { deviceId }, hex(messages.get('c3').framed_hex), errorCodes.ratchetReplay],
        ['replayed c0', { entityId }, hex(messages.get('c0').framed_hex), errorCodes.ratchetReplay],
        ['c2 with a flipped tag', { deviceId }, flipped, errorCodes.ratchetAuth],
        ['c2 truncated', { deviceId }, c2.subarray(0, 50), errorCodes.relayMalformed],
        ['random bytes', { deviceId }, randomBytes(120), errorCodes.relayMalformed],
        ['c2 for an unknown device', { deviceId: randomBytes(32) }, c2, errorCodes.relayAccountMissing]
      ]
      for (const [what, selector, framed, code] of attempts) {
        const outcome = await decryptPayload(vault, selector, framed)
        assert.equal(outcome.ok ? 'decrypted' : outcome.error.code, code, what)
        assert.deepEqual(await store.relay.get(entityId), before, `${what} changed nothing stored`)
      }
      const late = unwrap(await decryptPayload(vault, { deviceId }, c2))
      assert.equal(late.plaintext.toString('hex'), session.deliveries.find((delivery: any) => delivery.message === 'c2').expected_plaintext_hex, 'the genuine message still decrypts')
      await store.close()
    })

    test('two store instances decrypting one account at once: every genuine message exactly once, one consistent state', async () => {
      const location = await kind.newLocation()
      const [first, second] = [await kind.open(location), await kind.open(location)]
      const ring = newRing()
      const [vaultA, vaultB] = [vaultOver(first, ring), vaultOver(second, ring)]
      const client = generateX25519KeyPair()
      const { entityId, serverPublishKeyPair } = await createTestAccount(vaultA, client.publicKey)
      const app = appFor(serverPublishKeyPair, client)
      for (const round of [0, 1, 2]) {
        const texts = Array.from({ length: 10 }, (_, index) => `round ${round} message ${index}`)
        const framed = texts.map(text => app.send(text))
        // Each message reaches both instances (a gateway phone retrying), all at once, in any order.
        const deliveries = shuffled(framed.flatMap((message, index) => [{ vault: vaultA, index, message }, { vault: vaultB, index, message }]))
        const outcomes = await Promise.all(deliveries.map(async ({ vault, index, message }) => ({ index, outcome: await decryptRetrying(vault, { entityId }, message) })))
        const decrypted = outcomes.filter(({ outcome }) => outcome.ok).map(({ index, outcome }) => [index, outcome.ok ? outcome.value.plaintext.toString() : ''] as const)
        assert.deepEqual(decrypted.map(([index]) => index).sort((a, b) => a - b), texts.map((_, index) => index), `round ${round}: each message decrypted once`)
        for (const [index, text] of decrypted) assert.equal(text, texts[index])
        assert.deepEqual(outcomes.filter(({ outcome }) => !outcome.ok).map(({ outcome }) => outcome.ok ? '' : outcome.error.code), texts.map(() => errorCodes.ratchetReplay))
        for (const store of [first, second]) {
          const state = storedState(vaultA, await store.relay.get(entityId))
          assert.deepEqual([state.receivingMessageNumber, state.skippedMessageKeys.length], [10, 0], `round ${round}: every key used, none left over`)
        }
        // A reply from the other instance starts the app's next chain on the state both share.
        assert.equal(app.receive(unwrap(await encryptPayload(vaultB, { entityId }, Buffer.from(`reply ${round}`)))), `reply ${round}`)
      }
      await first.close()
      await second.close()
    })

    test('an account handed in as read earlier: a decryption on it that loses the compare-and-set reads the row again and decrypts on what is stored', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      const client = generateX25519KeyPair()
      const { entityId, serverPublishKeyPair } = await createTestAccount(vault, client.publicKey)
      const app = appFor(serverPublishKeyPair, client)
      const [first, second] = [app.send('first'), app.send('second')]
      const stale = await store.relay.get(entityId)
      assert.ok(stale !== undefined)
      assert.equal(unwrap(await decryptPayload(vault, { account: stale }, first)).plaintext.toString(), 'first', 'the account as read: no second read')
      // The row moved on since `stale` was read: the step on it loses, and the stored state is used.
      assert.equal(unwrap(await decryptPayload(vault, { account: stale }, second)).plaintext.toString(), 'second')
      const state = storedState(vault, await store.relay.get(entityId))
      assert.deepEqual([state.receivingMessageNumber, state.skippedMessageKeys.length], [2, 0], 'both keys used, none skipped')
      await store.close()
    })

    test('a sealed state copied to another account does not open there, and the failure changes nothing', async () => {
      const store = await kind.open()
      const vault = vaultOver(store, newRing())
      const client = generateX25519KeyPair()
      const a = await createTestAccount(vault, client.publicKey, '+237650000002')
      const b = await createTestAccount(vault, client.publicKey, '+237650000003')
      const [accountA, accountB] = [await store.relay.get(a.entityId), await store.relay.get(b.entityId)]
      assert.ok(accountA !== undefined && accountB !== undefined)
      const version = await store.relay.update(b.entityId, accountB.stateVersion, { sealed: { ratchetState: accountA.sealed.ratchetState } })
      assert.ok(version !== undefined)
      const moved = await store.relay.get(b.entityId)
      const outcome = await decryptPayload(vault, { entityId: b.entityId }, appFor(a.serverPublishKeyPair, client).send('hello'))
      assert.equal(outcome.ok ? 'decrypted' : outcome.error.code, errorCodes.relaySealed)
      assert.deepEqual(await store.relay.get(b.entityId), moved)
      await store.close()
    })
  })
}
