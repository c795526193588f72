import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { openPayload } from '../../../src/crypto/payload/index.ts'
import { keyIdOf, type VaultKey } from '../../../src/crypto/vault/index.ts'
import { isSmsgwError } from '../../../src/errors.ts'
import { MAX_INBOUND_SEALED_BYTES, type StoredInbound } from '../../../src/domain/stored-inbound.ts'
import { decodeInboundSms, type InboundSms } from '../../../src/smpp/inbound/index.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { SqliteStore } from '../../../src/store/sqlite/index.ts'
import { InboundInbox, type InboundEvent } from '../../../src/transport/embedded/inbound-inbox.ts'
import { newPostgresLocation } from '../../store/store-kinds.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

const files = await tempStoreFiles('inbound-inbox')

function vaultKey (alias: string): VaultKey {
  const { privateKey, publicKey } = generateKeyPairSync('x25519')
  return { alias, type: 'x25519', privateKey, publicKey, keyId: keyIdOf(publicKey) }
}

const keys = new Map([['acme', vaultKey('acme')], ['catchall', vaultKey('catchall')]])
const vault = { keysFor: (clientId: string) => { const key = keys.get(clientId); return key === undefined ? [] : [key] } }
const sms = (recipient: string, text = 'Hello'): InboundSms => ({
  sender: '+4915112345678', recipient, text, receivedAt: new Date('2026-11-21T10:00:00.700Z'), connectionId: 'smsc-a', parts: 1, encoding: 'gsm7'
})

function inbox (owners: ConstructorParameters<typeof InboundInbox>[1]['owners']): { inbox: InboundInbox, store: SqliteStore, stored: StoredInbound[], handled: InboundEvent[] } {
  const store = SqliteStore.open(files.next())
  const box = new InboundInbox(store.inbound, { owners, duplicateWindowMs: 60_000 })
  const stored: StoredInbound[] = []
  const handled: InboundEvent[] = []
  box.subscribe(undefined, message => { stored.push(message) })
  box.onHandled(event => { handled.push(event) })
  return { inbox: box, store, stored, handled }
}

test('InboundInbox stores a message sealed to the first owner whose prefix matches, which that owner\'s key opens, and announces it once', async () => {
  const { inbox: box, store, stored, handled } = inbox([{ client: 'acme', prefixes: ['+4940', '40404'] }, { client: 'catchall', prefixes: [''] }])
  const forAcme: StoredInbound[] = []
  box.subscribe('acme', message => { forAcme.push(message) })
  await box.receive(sms('+494012345'), vault)
  await box.receive(sms('+331234'), vault)
  await box.receive(sms('+494012345'), vault)
  assert.deepStrictEqual(stored.map(message => [message.id, message.owner, message.receivedAtMs]), [[1, 'acme', Date.parse('2026-11-21T10:00:00Z')], [2, 'catchall', Date.parse('2026-11-21T10:00:00Z')]])
  assert.deepStrictEqual(forAcme, [stored[0]])
  assert.deepStrictEqual(handled.map(event => [event.owner, event.outcome]), [['acme', 'stored'], ['catchall', 'stored'], ['acme', 'duplicate']])
  assert.deepStrictEqual(await box.list('acme', 0, 10), [stored[0]])
  const opened = decodeInboundSms(openPayload((stored[0] as StoredInbound).sealed, [keys.get('acme') as VaultKey]))
  assert.deepStrictEqual(opened, { ...sms('+494012345'), receivedAt: new Date('2026-11-21T10:00:00Z') })
  assert.throws(() => openPayload((stored[0] as StoredInbound).sealed, [keys.get('catchall') as VaultKey]), /sealed to key/)
  store.close()
})

test('InboundInbox tells a re-delivery from a new message by connection, sender, recipient and text, not by time', async () => {
  const { inbox: box, store, handled } = inbox([{ client: 'acme', prefixes: [''] }])
  await box.receive(sms('+4940'), vault)
  await box.receive({ ...sms('+4940'), receivedAt: new Date('2026-11-21T10:05:00Z') }, vault)
  await box.receive({ ...sms('+4940'), connectionId: 'smsc-b' }, vault)
  await box.receive({ ...sms('+4940'), sender: '+4915100000000' }, vault)
  await box.receive(sms('+4941'), vault)
  await box.receive(sms('+4940', 'Hello!'), vault)
  assert.deepStrictEqual(handled.map(event => event.outcome), ['stored', 'duplicate', 'stored', 'stored', 'stored', 'stored'])
  store.close()
})

test('InboundInbox refuses for good a message no client owns or too large to keep, and retryably one whose owner has no key; it stores none', async () => {
  const { inbox: box, store, stored, handled } = inbox([{ client: 'acme', prefixes: ['+4940'] }, { client: 'keyless', prefixes: ['+33'] }])
  await assert.rejects(box.receive(sms('+4930'), vault), error => isSmsgwError(error, 'SMSGW_INBOUND_REFUSED') && !error.message.includes('4930'))
  await assert.rejects(box.receive(sms('+4940', 'x'.repeat(MAX_INBOUND_SEALED_BYTES)), vault), error => isSmsgwError(error, 'SMSGW_INBOUND_REFUSED'))
  await assert.rejects(box.receive(sms('+331'), vault), error => isSmsgwError(error, 'SMSGW_UNKNOWN_KEY') && error.retryable)
  assert.deepStrictEqual([stored, handled.map(event => [event.owner, event.outcome])], [[], [[undefined, 'refused'], ['acme', 'refused']]])
  assert.deepStrictEqual(await box.list('acme', 0, 10), [])
  store.close()
})

test('InboundInbox on a PostgreSQL store shared by two instances announces to the other instance\'s streams what one stored, and to its webhooks (storedHere) nothing', async t => {
  const location = await newPostgresLocation()
  const [storing, serving] = await Promise.all([openStore(location), openStore(location)])
  t.after(async () => { await Promise.all([storing.close(), serving.close()]) })
  const owners = [{ client: 'acme', prefixes: [''] }]
  const here = new InboundInbox(storing.inbound, { owners, duplicateWindowMs: 60_000 })
  const there = new InboundInbox(serving.inbound, { owners, duplicateWindowMs: 60_000 })
  const streamed: StoredInbound[] = []
  const posted: StoredInbound[] = []
  there.subscribe('acme', message => { streamed.push(message) })
  there.subscribe(undefined, message => { posted.push(message) }, { storedHere: true })
  // The other instance listens on a connection of its own: store until it hears one.
  for (let attempt = 0; streamed.length === 0 && attempt < 100; attempt++) {
    await here.receive(sms('+4940', `attempt ${attempt}`), vault)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  assert.ok(streamed.length > 0, 'the other instance heard a message')
  const stored = await there.list('acme', 0, 1000)
  assert.deepStrictEqual(streamed, stored.slice(stored.length - streamed.length))
  assert.deepStrictEqual(posted, [])
})
