import { status } from '@grpc/grpc-js'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { processForward, type ForwardResult } from '../../../src/relay/ingress/forward-processing.ts'
import type { Forward } from '../../../src/relay/ingress/forward.ts'
import { storedSegmentCache, type SegmentLimits } from '../../../src/relay/ingress/stored-segment-cache.ts'
import { RpcFailure } from '../../../src/relay/grpc/rpc-failure.ts'
import type { EmbeddedStore } from '../../../src/store/embedded-store.ts'
import { storeKinds } from '../../store/store-kinds.ts'
import { imageTextSegments, newKeyRing, recordingPublisher } from './ingress-fixtures.ts'

// The routing of a forward's text (relay-wire.md §5.1) with the segments in the store, on both
// stores: image-text segments in order, out of order, repeated, expired and beyond the bounds;
// bridge payloads; platform payloads and the publisher's answers passed on.

const SENDER = '+237650000001'
const MASKED = '+23********01'
const PAYLOAD = Buffer.concat([Buffer.from([2, 6, 0, 0, 0x74]), randomBytes(6), Buffer.from('en')]).toString('base64')
const limits: SegmentLimits = { ttlMs: 60_000, maxPerSender: 10, maxTotal: 100 }
const forwardOf = (text: string, sender = SENDER): Forward => ({ text, sender, date: 1700000000123, dateSent: '1700000000000' })
const cached = (received: number, total: number, session: number, masked = MASKED): ForwardResult =>
  ({ ok: true, publisherResponse: `Segment ${received}/${total} received and cached for session ${session} and sender ${masked}.`, outcome: 'segment-cached' })
const published: ForwardResult = { ok: true, publisherResponse: 'Successfully sent message', outcome: 'published' }
const refused = (error: string, outcome = 'refused'): ForwardResult => ({ ok: false, refusal: { status: 400, error }, outcome } as ForwardResult)

function setUp (store: EmbeddedStore, overrides: Partial<SegmentLimits> = {}): { run: (text: string, sender?: string) => Promise<ForwardResult>, requests: ReturnType<typeof recordingPublisher>['requests'], clock: { nowMs: number } } {
  const clock = { nowMs: 1_000_000 }
  const publisher = recordingPublisher()
  const segments = storedSegmentCache({ store: store.relayIngress, keys: newKeyRing(), identifierKey: randomBytes(32), limits: { ...limits, ...overrides }, nowMs: () => clock.nowMs })
  return { run: async (text, sender) => await processForward(forwardOf(text, sender), 'http', { segments, publishContent: publisher.publishContent }), requests: publisher.requests, clock }
}

const kinds = await storeKinds('relay-ingress-processing')
for (const kind of kinds) {
  describe(`${kind.name} store`, () => {
    test('processForward caches image-text segments in order, answers each with its count and the masked sender, and publishes the joined text once complete', async () => {
      await using store = await openStore(kind)
      const { run, requests } = setUp(store)
      const [first, second, third] = imageTextSegments(7, PAYLOAD, 3) as [string, string, string]
      assert.deepStrictEqual(await run(first), cached(1, 3, 7))
      assert.deepStrictEqual(await run(second), cached(2, 3, 7))
      assert.deepStrictEqual(requests, [])
      assert.deepStrictEqual(await run(third), published)
      assert.deepStrictEqual(requests, [{ content: PAYLOAD, metadata: { From: SENDER, Date: '1700000000', Date_sent: '1700000000' } }])
      assert.equal(await store.relayIngress.countSegments(), 0, 'the session is deleted once published')
    })

    test('processForward completes a session whose segments arrive out of order (the total is 0 until segment 0) and keeps the first copy of a repeated segment', async () => {
      await using store = await openStore(kind)
      const { run, requests } = setUp(store)
      const [first, second, third] = imageTextSegments(9, PAYLOAD, 3) as [string, string, string]
      assert.deepStrictEqual(await run(third), cached(1, 0, 9))
      assert.deepStrictEqual(await run(third), cached(1, 0, 9), 'a repeated segment is not counted twice')
      assert.deepStrictEqual(await run(second), cached(2, 0, 9))
      assert.deepStrictEqual(await run(first), published)
      assert.deepStrictEqual(requests.map(request => request.content), [PAYLOAD])
    })

    test('processForward keeps sessions apart by sender and session number', async () => {
      await using store = await openStore(kind)
      const { run, requests } = setUp(store)
      const ofSession1 = imageTextSegments(1, PAYLOAD, 2) as [string, string]
      const ofSession2 = imageTextSegments(2, PAYLOAD, 2) as [string, string]
      assert.deepStrictEqual(await run(ofSession1[0]), cached(1, 2, 1))
      assert.deepStrictEqual(await run(ofSession2[1]), cached(1, 0, 2))
      assert.deepStrictEqual(await run(ofSession1[1], '+237699000000'), cached(1, 0, 1, '+23********00'))
      assert.deepStrictEqual(requests, [])
      assert.deepStrictEqual(await run(ofSession1[1]), published)
    })

    test('processForward forgets segments older than the expiry', async () => {
      await using store = await openStore(kind)
      const { run, requests, clock } = setUp(store)
      const [first, second] = imageTextSegments(3, PAYLOAD, 2) as [string, string]
      assert.deepStrictEqual(await run(first), cached(1, 2, 3))
      clock.nowMs += limits.ttlMs + 1
      assert.deepStrictEqual(await run(second), cached(1, 0, 3), 'segment 0 expired')
      assert.deepStrictEqual(requests, [])
      assert.equal(await store.relayIngress.countSegments(), 1, 'the expired segment is deleted')
    })

    test('processForward refuses a segment beyond the bounds per sender and in all with upstream\'s text for a segment not stored', async () => {
      await using store = await openStore(kind)
      const { run } = setUp(store, { maxPerSender: 2, maxTotal: 3 })
      const segments = imageTextSegments(4, PAYLOAD, 4)
      assert.deepStrictEqual(await run(segments[0] as string), cached(1, 4, 4))
      assert.deepStrictEqual(await run(segments[1] as string), cached(2, 4, 4))
      assert.deepStrictEqual(await run(segments[2] as string), refused('Failed to store message segment'))
      assert.deepStrictEqual(await run(segments[1] as string), cached(2, 4, 4), 'a repeat is no new segment')
      assert.deepStrictEqual(await run(segments[0] as string, '+237699000000'), cached(1, 4, 4, '+23********00'))
      assert.deepStrictEqual(await run(segments[1] as string, '+237688000000'), refused('Failed to store message segment'), 'the bound in all')
    })

    test('processForward refuses an unparsable segment, and routes invalid, empty and bridge payloads with upstream\'s texts', async () => {
      await using store = await openStore(kind)
      const { run, requests } = setUp(store)
      assert.deepStrictEqual(await run(`${Buffer.from([4, 1, 0, 0, 0, 0, 0, 0]).toString('base64')}AAAA`), refused('Failed to parse image-text payload'), 'a total of 0')
      assert.deepStrictEqual(await run(Buffer.from([4, 1, 0, 2, 0, 0, 0, 0]).toString('base64')), refused('Failed to parse image-text payload'), 'no content')
      assert.deepStrictEqual(await run(`${Buffer.from([4, 1, 0]).toString('base64')}AAAA`), refused('Failed to parse image-text payload'), 'segment 0 without its 8-byte header')
      assert.deepStrictEqual(await run('QUJDR'), refused('Invalid Base64-encoded payload'))
      assert.deepStrictEqual(await run('===='), refused('Decoded payload is empty'))
      const bridge = Buffer.from([0, 1, 2, 3]).toString('base64')
      assert.deepStrictEqual(await run(bridge), refused('Bridge payloads over HTTP are restricted.', 'bridge-refused'))
      const segments = storedSegmentCache({ store: store.relayIngress, keys: newKeyRing(), identifierKey: randomBytes(32), limits })
      assert.deepStrictEqual(await processForward(forwardOf(bridge), 'smpp', { segments, publishContent: async () => assert.fail('no publish') }), refused('No bridge server is configured.', 'bridge-refused'))
      assert.deepStrictEqual(requests, [])
    })

    test('processForward passes on the publisher\'s refusal: the details of an RpcFailure, the message of success=false; other errors reject', async () => {
      await using store = await openStore(kind)
      const segments = storedSegmentCache({ store: store.relayIngress, keys: newKeyRing(), identifierKey: randomBytes(32), limits })
      const failing = async (): Promise<never> => { throw new RpcFailure(status.NOT_FOUND, "No platform found for shortcode 'x'.") }
      assert.deepStrictEqual(await processForward(forwardOf(PAYLOAD), 'http', { segments, publishContent: failing }), refused("No platform found for shortcode 'x'.", 'publish-failed'))
      const unsuccessful = recordingPublisher(async () => ({ success: false, message: 'Failed to publish', publisher_response: '' }))
      assert.deepStrictEqual(await processForward(forwardOf(PAYLOAD), 'http', { segments, publishContent: unsuccessful.publishContent }), refused('Failed to publish', 'publish-failed'))
      await assert.rejects(processForward(forwardOf(PAYLOAD), 'http', { segments, publishContent: async () => { throw new Error('broken') } }), /broken/)
    })
  })
}

async function openStore (kind: (typeof kinds)[number]): Promise<EmbeddedStore & AsyncDisposable> {
  const store = await kind.open()
  return Object.assign(store, { [Symbol.asyncDispose]: async () => { await store.close() } })
}
