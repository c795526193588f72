import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BUILTIN_VAULT_FILE } from '../../../src/config/index.ts'
import { sealPayload } from '../../../src/crypto/payload/index.ts'
import { Vault } from '../../../src/crypto/vault/index.ts'
import type { Backend } from '../../../src/gateway/backends/backend.ts'
import { loopbackBackend } from '../../../src/gateway/backends/loopback/loopback-backend.ts'
import { Gateway } from '../../../src/gateway/gateway.ts'
import { RequestLedger } from '../../../src/gateway/ledger/request-ledger.ts'
import { inlineOpener } from '../../../src/gateway/opener/inline-opener.ts'
import { createPipeline } from '../../../src/gateway/pipeline.ts'
import { defaultRoutes, LOOPBACK_BACKEND } from '../../../src/gateway/stages/route.ts'
import { isFinalStatus, type StatusEvent } from '../../../src/domain/status-event.ts'
import { createLogger } from '../../../src/log/logger.ts'
import { formatSmsText } from '../../../src/sms/sms-text.ts'
import { openEmbeddedTransport } from '../../../src/transport/embedded/embedded-transport.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

// The real orchestrator and pipeline on the embedded source and sink: requests accepted into
// the SQLite queue come out as statuses in the store, each request's in its script's order.

const files = await tempStoreFiles('embedded-gateway')
const vault = await Vault.load(BUILTIN_VAULT_FILE, '123456')
const [testKey] = vault.keysFor('test')
assert.ok(testKey)
const testPublicKey = testKey.publicKey

function sealedRequest (correlId: string, body: string, deadline = '2100-01-01T00:00:00Z'): string {
  const payload = sealPayload(testPublicKey, Buffer.from(formatSmsText({ To: '+255712345678', Sender: 'ACME' }, body)), 'legacy')
  return JSON.stringify({ 'client-id': 'test', 'correl-id': correlId, deadline, payload })
}

/** What the loop-back reports for each body marker (spec §6), statuses and error texts. */
const scripts: Record<string, string[]> = {
  'Hello S1D1': ['SENT', 'DELIVERED'],
  'Hello S0I1': ['INVALID Invalid message'],
  'Hello S1F1': ['SENT', 'FAILED Failed after successful send'],
  'Hello S0D1': ['DELIVERED'],
  'Hello, no marker': ['SENT', 'DELIVERED']
}

const shown = (event: StatusEvent): string => event.errorText === undefined ? event.status : `${event.status} ${event.errorText}`

test('Gateway on the embedded transport turns accepted requests into stored statuses, in order, and marks every request done', async () => {
  const transport = await openEmbeddedTransport(await openStore(files.next()), { source: { pollIntervalMs: 60_000, readAheadCount: 8 } })
  const log = createLogger({ level: 'silent' })
  const ledger = new RequestLedger(transport.ledgerLog, { takeoverMs: 60_000 })
  const backends = new Map<string, Backend>([[LOOPBACK_BACKEND, loopbackBackend({ normalDelayMs: 5, longDelayMs: 10 })]])
  const gateway = new Gateway({
    source: transport.source,
    maxInFlight: 16,
    commitIntervalMs: 10,
    log,
    handle: createPipeline({ allowedClients: new Set(['test']), opener: inlineOpener(vault), backends, routes: defaultRoutes, defaultBackend: LOOPBACK_BACKEND, ledger, sink: transport.statuses, log }),
    onCommitted: outcomes => {
      for (const { ledgerKey } of outcomes) if (ledgerKey !== undefined) void ledger.forget(ledgerKey)
    }
  })

  const bodies = Object.keys(scripts)
  const requests = Array.from({ length: 40 }, (_, index) => ({ correlId: `C${index}`, body: bodies[index % bodies.length] as string }))
  const expired = { correlId: 'LATE', body: 'Hello S1D1' }
  const finals = new Set<string>()
  const stored: StatusEvent[] = []
  let allFinal: () => void = () => {}
  const everyRequestFinal = new Promise<void>(resolve => { allFinal = resolve })
  transport.statuses.subscribe('test', event => {
    stored.push(event)
    if (isFinalStatus(event.status)) finals.add(event.correlId)
    if (finals.size === requests.length + 1) allFinal()
  })

  // Half before the gateway starts (read at start), half while it runs (they wake the source).
  await transport.ingress.accept(requests.slice(0, 20).map(({ correlId, body }) => sealedRequest(correlId, body)))
  const running = gateway.run()
  await transport.ingress.accept([
    ...requests.slice(20).map(({ correlId, body }) => sealedRequest(correlId, body)),
    sealedRequest(expired.correlId, expired.body, '2020-01-01T00:00:00Z')
  ])
  await everyRequestFinal
  assert.equal(await gateway.stop(5_000), true)
  await running

  for (const { correlId, body } of requests) {
    assert.deepStrictEqual((await transport.statuses.history('test', correlId)).map(shown), scripts[body], `statuses of ${correlId}`)
  }
  assert.deepStrictEqual((await transport.statuses.history('test', 'LATE')).map(shown), ['EXPIRED'])
  // Subscribers saw each request's statuses in the same order as history gives them.
  for (const { correlId, body } of requests) {
    assert.deepStrictEqual(stored.filter(event => event.correlId === correlId).map(shown), scripts[body], `live statuses of ${correlId}`)
  }
  assert.deepStrictEqual([await transport.store.requests.countQueued(), await transport.ledgerLog.size(), gateway.handled], [0, 0, requests.length + 1])
  await transport.close()
})
