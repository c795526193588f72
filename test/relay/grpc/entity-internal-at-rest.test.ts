import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { isSmsgwError } from '../../../src/errors.ts'
import { entityInternalOf } from '../../../src/relay/grpc/entity-internal/entity-internal-of.ts'
import { removeAccountOf } from '../../../src/relay/vault/account-admin.ts'
import { findAccount, parseSealingKeyRing, resealAccounts, sealingKeyIdOf } from '../../../src/relay/vault/index.ts'
import { rowBytes, sqliteBytes } from '../../store/at-rest.ts'
import { storeKinds, withAdmin } from '../../store/store-kinds.ts'
import { unwrap } from '../relaysms-vectors.ts'
import { vaultOver } from '../vault/stored-vault.ts'
import { TEST_PHONE } from './entity-harness.ts'
import { signUp, startInternalHarness } from './entity-internal-harness.ts'

// The platform tokens at rest (issue 11, "Sealed at rest"): after tokens were stored over
// EntityInternal, neither a token's values nor an account identifier is in the SQLite file or the
// PostgreSQL rows, in raw, hex or base64 form; a key rotation's re-seal pass moves them to the
// new key (read afterwards by the publisher's in-process entityInternalOf under the new key alone);
// a sealed token copied to another row does not open; deleting the account deletes its tokens.

const kinds = await storeKinds('relay-internal-at-rest')
const ACCESS_TOKEN = 'ya29.at-rest-secret-access'
const REFRESH_TOKEN = '1//at-rest-secret-refresh'
const GMAIL_ACCOUNT = 'carol.secret@gmail.example'
const TELEGRAM_ACCOUNT = '+237650000077'

function inClear (haystack: Buffer, secrets: readonly string[]): string[] {
  return secrets.map(secret => Buffer.from(secret)).flatMap(secret => [secret, Buffer.from(secret.toString('hex')), Buffer.from(secret.toString('base64'))])
    .filter(form => haystack.includes(form)).map(form => form.toString('utf8').slice(0, 24))
}

for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('tokens and account identifiers are sealed at rest, re-sealed by a key rotation, bound to their row, and go with their account', async () => {
      const location = await kind.newLocation()
      const harness = await startInternalHarness(await kind.open(location))
      const { app } = await signUp(harness)
      const oldKeys = harness.entity.vault.keys
      const identifierKey = harness.entity.vault.identifierKey
      await harness.call('StoreEntityToken', { long_lived_token: app.token, platform: 'gmail', account_identifier: GMAIL_ACCOUNT, token: JSON.stringify({ access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN }) })
      await harness.call('StoreEntityToken', { long_lived_token: app.token, platform: 'telegram', account_identifier: TELEGRAM_ACCOUNT, token: JSON.stringify({ session: ACCESS_TOKEN }) })
      await harness.close()

      let raw: Buffer
      if (kind.name === 'sqlite') {
        raw = await sqliteBytes(location)
        assert.ok(raw.includes(Buffer.from('relay_tokens')), 'the file holds the tokens table')
      } else {
        const rows = await withAdmin(async admin => (await admin.query('SELECT * FROM smsgw_relay_tokens')).rows, location)
        assert.equal(rows.length, 2)
        raw = rowBytes(rows)
      }
      assert.deepEqual(inClear(raw, [ACCESS_TOKEN, REFRESH_TOKEN, GMAIL_ACCOUNT, TELEGRAM_ACCOUNT]), [])

      const store = await kind.open(location)
      const newKey = `k2 ${randomBytes(32).toString('base64')}`
      const during = unwrap(parseSealingKeyRing(`${newKey}\n${oldKeys.current.id} ${oldKeys.current.key.toString('base64')}`))
      const report = await resealAccounts({ accounts: store.relay, tokens: store.relayTokens, keys: during })
      assert.deepEqual({ resealed: report.resealed, tokens: report.tokens }, { resealed: 1, tokens: { resealed: 2, current: 0, unopenable: 0 } })
      const entityId = unwrap(await findAccount(vaultOver(store, during, identifierKey), { identifier: TEST_PHONE })).entityId
      const rows = await store.relayTokens.listOf(entityId)
      assert.deepEqual(rows.flatMap(row => [sealingKeyIdOf(row.sealedToken), sealingKeyIdOf(row.sealedAccountIdentifier)]), ['k2', 'k2', 'k2', 'k2'])
      assert.deepEqual((await resealAccounts({ accounts: store.relay, tokens: store.relayTokens, keys: during })).tokens, { resealed: 0, current: 2, unopenable: 0 })

      const internal = entityInternalOf({ vault: vaultOver(store, unwrap(parseSealingKeyRing(newKey)), identifierKey) })
      const get = async (platform: string, accountIdentifier: string): Promise<string> => (await internal.getEntityAccessToken({ device_id: '', long_lived_token: '', phone_number: TEST_PHONE, platform, account_identifier: accountIdentifier })).token
      assert.deepEqual(JSON.parse(await get('gmail', GMAIL_ACCOUNT)), { access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN }, 'read under the new key alone')

      const [gmail, telegram] = rows as [typeof rows[0], typeof rows[0]]
      assert.ok(await store.relayTokens.update(telegram, { sealedToken: gmail.sealedToken }))
      await assert.rejects(get('telegram', TELEGRAM_ACCOUNT), (error: unknown) => isSmsgwError(error, 'SMSGW_RELAY_SEALED'), 'a sealed token moved to another row does not open')

      unwrap(await removeAccountOf(store.relay, identifierKey, TEST_PHONE))
      assert.deepEqual(await store.relayTokens.listOf(entityId), [], 'smsgw relay accounts delete takes the tokens with the account')
      await store.close()
    })
  })
}
