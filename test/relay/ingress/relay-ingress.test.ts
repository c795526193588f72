import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { createLogger } from '../../../src/log/logger.ts'
import type { Forward } from '../../../src/relay/ingress/forward.ts'
import type { PublishContentRequest } from '../../../src/relay/ingress/publish-content.ts'
import { eventually } from '../../harness/eventually.ts'
import { sqliteBytes } from '../../store/at-rest.ts'
import { storeKinds, withAdmin, type StoreKind } from '../../store/store-kinds.ts'
import { MAX_BACKGROUND_FORWARDS } from '../../../src/relay/ingress/relay-ingress.ts'
import { imageTextSegments, newIngress, newKeyRing, recordingPublisher } from './ingress-fixtures.ts'

// The ingress is durable and at-least-once (docs/relay.md, "Ingress"), on both stores: a forward
// is stored, sealed, before the publisher is called; one whose instance "crashed" (a publisher that
// never answers, the instance abandoned) is published by the next instance on the same store once
// its hold ends; one that keeps failing inside is tried again, then given up. The store holds
// neither the sender's number nor the payload in any form.

const SENDER = '+237650001234'
const PAYLOAD = Buffer.concat([Buffer.from([2, 40, 0, 0, 0x74]), randomBytes(40), Buffer.from('en')]).toString('base64')
const forward: Forward = { text: PAYLOAD, sender: SENDER, date: 1700000000123, dateSent: 1700000000000 }
const published = { success: true, message: 'Successfully published Twitter message', publisher_response: 'Successfully sent message' }

/** Every byte the store holds: the SQLite file and its WAL, or the ingress tables' rows as PostgreSQL writes them in text (bytea as hex). */
async function storedBytes (kind: StoreKind, location: string): Promise<Buffer> {
  if (kind.name === 'sqlite') return await sqliteBytes(location)
  const schema = /search_path=(\w+)/.exec(new URL(location).searchParams.get('options') ?? '')?.[1] as string
  return await withAdmin(async admin => {
    const { rows } = await admin.query<{ row: string }>(`SELECT f::text AS row FROM ${schema}.smsgw_relay_forwards f UNION ALL SELECT s::text FROM ${schema}.smsgw_relay_segments s`)
    return Buffer.from(rows.map(row => row.row).join('\n'))
  })
}

/** The sensitive values in every form a leak could take. */
function leaks (bytes: Buffer): string[] {
  const secrets = [SENDER, SENDER.slice(1), PAYLOAD, PAYLOAD.slice(4, 40), Buffer.from(PAYLOAD, 'base64').subarray(5, 30).toString('hex')]
  return secrets.filter(secret => bytes.includes(Buffer.from(secret)) || bytes.includes(Buffer.from(secret).toString('hex')))
}

const kinds = await storeKinds('relay-ingress')
for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('RelayIngress stores a forward, sealed, before the publisher is called, and deletes it with its outcome; segments are sealed too', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      let release: () => void = () => {}
      const publisher = recordingPublisher(async () => { await new Promise<void>(resolve => { release = resolve }); return published })
      const ingress = newIngress(store.relayIngress, publisher.publishContent)
      const answer = ingress.publish(forward, 'http')
      await eventually('the publisher to be called', () => publisher.requests.length === 1)
      assert.equal(await store.relayIngress.countForwards(), 1, 'stored while the publisher works')
      assert.deepStrictEqual(await ingress.publish({ ...forward, text: imageTextSegments(1, PAYLOAD, 2)[0] as string }, 'http'), { ok: true, publisherResponse: 'Segment 1/2 received and cached for session 1 and sender +23********34.', outcome: 'segment-cached' })
      assert.equal(await store.relayIngress.countSegments(), 1)
      assert.deepStrictEqual(leaks(await storedBytes(kind, location)), [], 'no number and no payload in the store')
      release()
      assert.deepStrictEqual(await answer, { ok: true, publisherResponse: 'Successfully sent message', outcome: 'published' })
      assert.equal(await store.relayIngress.countForwards(), 0)
      await ingress.close()
      await store.close()
    })

    test('RelayIngress processes at most MAX_BACKGROUND_FORWARDS MO in the background; a flood beyond them waits in the store for the worker, none lost', async () => {
      const store = await kind.open(await kind.newLocation())
      // The platforms are slower than the flood: the publisher answers only when released.
      let release: () => void = () => {}
      const released = new Promise<void>(resolve => { release = resolve })
      const publisher = recordingPublisher(async () => { await released; return published })
      const ingress = newIngress(store.relayIngress, publisher.publishContent)
      ingress.start()
      const flood = MAX_BACKGROUND_FORWARDS * 3
      for (let index = 0; index < flood; index++) await ingress.accept({ ...forward, sender: `+2376500${String(index).padStart(5, '0')}` }, 'smpp')
      assert.equal(await store.relayIngress.countForwards(), flood, 'every MO stored before its deliver_sm_resp')
      await eventually('the worker to take up a batch beside the background ones', () => publisher.requests.length > MAX_BACKGROUND_FORWARDS)
      assert.ok(publisher.requests.length <= MAX_BACKGROUND_FORWARDS + 16, `at most the background forwards and one claim batch in the publisher (${publisher.requests.length})`)
      release()
      await eventually('every MO published', async () => await store.relayIngress.countForwards() === 0)
      assert.equal(new Set(publisher.requests.map(request => request.metadata.From)).size, flood, 'each MO published')
      await ingress.close()
      await store.close()
    })

    test('RelayIngress publishes after a restart what an instance that crashed while publishing had stored, with the same content and metadata', async () => {
      const location = await kind.newLocation()
      const keys = newKeyRing()
      const identifierKey = randomBytes(32)
      const crashed = await kind.open(location)
      // The publisher never answers: the instance is abandoned mid-publish, as by a kill -9.
      const hanging = recordingPublisher(async () => await new Promise<never>(() => {}))
      const first = newIngress(crashed.relayIngress, hanging.publishContent, { keys, identifierKey, holdMs: 1_000 })
      void first.publish(forward, 'http')
      void first.publish({ ...forward, sender: '+237650009999' }, 'smpp')
      await eventually('both forwards to reach the publisher', () => hanging.requests.length === 2)

      const restarted = await kind.open(location)
      const publisher = recordingPublisher()
      const second = newIngress(restarted.relayIngress, publisher.publishContent, { keys, identifierKey, holdMs: 1_000 })
      second.start()
      await eventually('the restarted instance to publish both', async () => await restarted.relayIngress.countForwards() === 0)
      const sorted = (requests: PublishContentRequest[]): PublishContentRequest[] => [...requests].sort((a, b) => a.metadata.From?.localeCompare(b.metadata.From ?? '') ?? 0)
      assert.deepStrictEqual(sorted(publisher.requests), sorted(hanging.requests), 'the same content and metadata again')
      assert.equal(publisher.requests.length, 2)
      await second.close()
      await restarted.close()
      await crashed.close()
    })

    test('RelayIngress stores what it accepts before its start, due at once; instances started on the same store share those forwards, each published once', async () => {
      const location = await kind.newLocation()
      const keys = newKeyRing()
      const identifierKey = randomBytes(32)
      const accepting = await kind.open(location)
      const early = newIngress(accepting.relayIngress, async () => assert.fail('not started: nothing is processed'), { keys, identifierKey })
      const senders = Array.from({ length: 40 }, (_, index) => `+2376500${String(index).padStart(5, '0')}`)
      for (const sender of senders) await early.accept({ ...forward, sender }, 'smpp')
      assert.equal(await accepting.relayIngress.countForwards(), senders.length)
      const stores = [await kind.open(location), await kind.open(location)]
      const publisher = recordingPublisher()
      const instances = stores.map(store => newIngress(store.relayIngress, publisher.publishContent, { keys, identifierKey }))
      for (const instance of instances) instance.start()
      await eventually('every forward to be published', async () => await accepting.relayIngress.countForwards() === 0)
      assert.deepStrictEqual(publisher.requests.map(request => request.metadata.From).sort(), senders, 'each once')
      for (const instance of [early, ...instances]) await instance.close()
      for (const store of [accepting, ...stores]) await store.close()
    })

    test('RelayIngress answers 500 when processing fails inside, keeps the forward and tries it again until its last attempt', async () => {
      const location = await kind.newLocation()
      const store = await kind.open(location)
      const lines: string[] = []
      const log = createLogger({ level: 'warn', destination: { write: (line: string) => { lines.push(line) } } })
      const broken = recordingPublisher(async () => { throw new Error('publisher broken') })
      const ingress = newIngress(store.relayIngress, broken.publishContent, { holdMs: 1_000, log })
      assert.deepStrictEqual(await ingress.publish(forward, 'http'), { ok: false, refusal: { status: 500, error: 'Oops! Something went wrong. Please try again later.' }, outcome: 'failed' })
      assert.equal(await store.relayIngress.countForwards(), 1, 'kept to be tried again')
      ingress.start()
      await eventually('the forward to be given up after 3 attempts', async () => await store.relayIngress.countForwards() === 0)
      assert.equal(broken.requests.length, 3)
      assert.ok(lines.some(line => line.includes('given up')))
      assert.deepStrictEqual(leaks(Buffer.from(lines.join(''))), [], 'no number or payload in the logs')
      await ingress.close()
      await store.close()
    })
  })
}
