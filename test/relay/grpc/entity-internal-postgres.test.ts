import { describe, test } from 'node:test'
import { storeKinds } from '../../store/store-kinds.ts'
import { payloadExchange, tokenLifecycle } from './entity-internal-scenarios.ts'

// The EntityInternal scenarios of entity-internal.test.ts (run there on SQLite) on PostgreSQL.

const postgres = (await storeKinds('relay-internal')).filter(kind => kind.name === 'postgres')

for (const kind of postgres) {
  describe(`${kind.name} store`, () => {
    test('tokens: store, get by long-lived token, device id or phone number, update, list (migrate_to_device false, then true) and delete; DeleteEntity waits for the tokens to go', async () => {
      await tokenLifecycle(async () => await kind.open())
    })

    test('payloads: the app\'s messages decrypt by device id or phone number, replies open on the app, and a forged or replayed message changes nothing', async () => {
      await payloadExchange(async () => await kind.open())
    })
  })
}
