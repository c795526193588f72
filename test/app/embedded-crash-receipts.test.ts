import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { test, type TestContext } from 'node:test'
import { prepareDemo, DEMO_CLIENT, DEMO_VAULT_PASSWORD } from '../../src/app/demo-setup.ts'
import type { StatusEvent } from '../../src/domain/status-event.ts'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { openStore } from '../../src/store/open-store.ts'
import { newPostgresLocation, withAdmin } from '../store/store-kinds.ts'
import { ApiClient, eventually, sealedRequest, temporaryFolder, within } from './app-fixtures.ts'
import { childEnv, REPO, RunChild, SMSGW } from './run-child.ts'

// The fault test of the embedded mode (issue 9, "Done when"): `bin/smsgw run` killed with SIGKILL
// three times under load, restarted on the same data each time, against an SMSC simulator in a
// process of its own that outlives the kills and, like a real SMSC, sends receipts again after
// the ESME binds: those never acknowledged, and those acknowledged in the last seconds (an SMSC
// that lost the deliver_sm_resp in the crash cannot tell them apart). At the end, the store's
// status history must hold every request once per state: no DELIVERED lost (items 6: a receipt
// finds its request after any crash) and none doubled (item 7: receipts are de-duplicated
// durably).
//
// Requests with no status at all are the ones in flight at a kill: marked as about to be written
// to the SMSC, maybe written, outcome unknown (spec §7). Each must be listed for operators at
// GET /v1/operator/unknown-outcomes (item 9); the ones only claimed, never written, are sent
// after the restart. Their number is bounded by the SMPP backend's hand-over slots (twice the
// window) per kill.

const KILLS = 3
const REQUESTS = 300
/** Requests sent per run of the gateway; the last run sends what is left. */
const REQUESTS_PER_RUN = 100
/** Submits the SMSC takes from a run before it is killed: it is busy submitting and taking receipts then. */
const SUBMITS_BEFORE_KILL = 30
/** Concurrent HTTP clients. */
const SENDERS = 16
const WINDOW = 10
/** Longer than a restart takes, on a busy machine too, so that a bind always finds receipts to send again. */
const RESEND_RECEIPTS_MS = 10_000

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`smsgw run on a ${kind} store, killed with SIGKILL ${KILLS} times under load while the SMSC re-sends receipts after each reconnect, ends with every request reported once per state: no DELIVERED lost, none doubled`, { timeout: 90_000 }, async t => {
    await killUnderLoad(t, kind)
  })
}

async function killUnderLoad (t: TestContext, kind: 'sqlite' | 'postgres'): Promise<void> {
  const dataDir = await temporaryFolder('crash-receipts')
  const location = kind === 'sqlite' ? join(dataDir, 'smsgw.db') : await newPostgresLocation()
  const smsc = await startSmscProcess(t)
  const demo = await prepareDemo(dataDir)
  const keys = await ApiKeyFile.open(join(dataDir, 'api-keys.json'))
  const { key } = await keys.create(DEMO_CLIENT)
  const operatorKey = (await keys.createOperatorKey()).key
  const configFile = join(dataDir, 'smsgw.json')
  await writeFile(configFile, JSON.stringify({
    vault: { file: demo.vault, password: DEMO_VAULT_PASSWORD },
    clients: { allowed: [DEMO_CLIENT] },
    smpp: { host: '127.0.0.1', port: smsc.port, systemId: 'smsgw', password: 'secret', windowSize: WINDOW, reconnectDelayMs: 200 },
    // A killed run's claims count as abandoned (outcome unknown) soon, so a restart settles quickly.
    pipeline: { claimTakeoverMs: 500 },
    store: { url: location }
  }))
  const requests = await Promise.all(Array.from({ length: REQUESTS }, async (_, n) =>
    await sealedRequest(demo.publicKeys[DEMO_CLIENT] as string, DEMO_CLIENT, `crash-${n}`, { to: `+2557${String(n).padStart(8, '0')}`, sender: 'DEMO', body: `crash test ${n}` })))
  const toSend = [...requests]
  const accepted = new Set<string>()
  let unknownOutcomes: string[] = []

  for (let run = 0; run <= KILLS; run++) {
    const child = new RunChild(dataDir, {}, ['--config', configFile])
    t.after(() => { if (child.running) child.signal('SIGKILL') })
    const url = (await child.stdoutMatch(/^ {2}dashboard +(http:\/\/\S+)\/dashboard$/m))[1] as string
    const api = new ApiClient(url, key)
    const batch = toSend.splice(0, run === KILLS ? toSend.length : REQUESTS_PER_RUN)
    if (run === KILLS) {
      await sendAll(api, batch, accepted, () => true)
      const settling = performance.now()
      await settled(location, requests.map(request => request['correl-id'] as string), smsc)
      t.diagnostic(`settled in ${Math.round(performance.now() - settling)} ms`)
      unknownOutcomes = await listUnknownOutcomes(url, operatorKey)
      child.signal('SIGINT')
      assert.deepStrictEqual(await within(child.exited, 15_000, 'exit after SIGINT'), { code: 0, signal: null })
      break
    }
    const submitted = smsc.count('submit')
    let killed = false
    const sending = sendAll(api, batch, accepted, () => !killed)
    await within(smsc.reach('submit', submitted + SUBMITS_BEFORE_KILL), 30_000, `${SUBMITS_BEFORE_KILL} submits in run ${run + 1}`)
    killed = true
    child.signal('SIGKILL')
    assert.deepStrictEqual((await within(child.exited, 10_000, `kill ${run + 1}`)).signal, 'SIGKILL')
    t.diagnostic(`kill ${run + 1}: accepted ${accepted.size}, SMSC submits ${smsc.count('submit')}, receipts acknowledged ${smsc.count('receipt')}`)
    await sending
    // What the killed run did not get to send goes to the next one (what it was sending when
    // killed got no answer: the client cannot tell whether it was stored, and does not resend).
    toSend.unshift(...batch)
  }

  // Every request sent, accepted or not (one whose 202 the kill cut off may be stored all the same).
  const store = await openStore(location)
  const histories = new Map<string, StatusEvent[]>()
  for (const request of requests) histories.set(request['correl-id'] as string, await store.statuses.history(DEMO_CLIENT, request['correl-id'] as string))
  await store.close()
  const problems: string[] = []
  let withoutStatus = 0
  for (const [correlId, history] of histories) {
    const states = history.map(event => event.status)
    if (new Set(states).size !== states.length) problems.push(`${correlId} has a state twice: ${states.join(',')}`)
    if (states.length === 0) {
      if (!accepted.has(correlId)) continue
      withoutStatus++
      if (!unknownOutcomes.includes(correlId)) problems.push(`${correlId} was accepted and has no status, but is not listed as an unknown outcome`)
      continue
    }
    if (states.join(',') !== 'SENT,DELIVERED') problems.push(`${correlId} did not end SENT, DELIVERED: ${states.join(',')}`)
  }
  const receipts = smsc.records.filter(record => record.event === 'receipt')
  const resent = receipts.length - new Set(receipts.map(record => record.messageId)).size
  const submits = smsc.count('submit')
  t.diagnostic(`accepted ${accepted.size} of ${REQUESTS}; SMSC: ${submits} submits, ${receipts.length} receipts acknowledged of which ${resent} re-sent; accepted with no status (in flight at a kill): ${withoutStatus}; listed as unknown outcomes: ${unknownOutcomes.length}, of them not answered 202: ${unknownOutcomes.filter(correlId => !accepted.has(correlId)).length}`)
  assert.deepStrictEqual(problems, [])
  // The faults happened: the SMSC sent receipts again after the reconnects, and each request
  // went to it at most once.
  assert.ok(resent > 0, 'no receipt was re-sent')
  assert.ok(submits <= REQUESTS, `${submits} submits for ${REQUESTS} requests`)
  assert.ok(accepted.size >= REQUESTS - KILLS * SENDERS, `accepted ${accepted.size}`)
  // Listed are exactly the requests with no status (one a receipt reported is known): each
  // accepted one with none at the end (above), and only ones with none at the end. The list is
  // read once no receipt can bring a status any more (settled), so none comes after it. A listed
  // request need not have been answered 202: one whose answer the kill cut off was stored all the
  // same (it is in the ledger), and may have been in flight at the kill.
  assert.ok(unknownOutcomes.every(correlId => histories.has(correlId)), `unknown outcomes not sent by this test: ${unknownOutcomes.join(',')}`)
  const listedWithStatus = unknownOutcomes.filter(correlId => (histories.get(correlId) ?? []).length > 0)
  assert.deepStrictEqual(listedWithStatus.map(correlId => `${correlId}: ${(histories.get(correlId) ?? []).map(event => event.status).join(',')}`), [], `listed as unknown outcomes and reported: ${unknownOutcomes.length} listed`)
  // And the in-flight rule holds: at most the hand-over slots (twice the window) per kill.
  assert.ok(unknownOutcomes.length <= KILLS * 2 * WINDOW, `${unknownOutcomes.length} unknown outcomes`)
}

/** The correl-ids GET /v1/operator/unknown-outcomes lists. */
async function listUnknownOutcomes (url: string, operatorKey: string): Promise<string[]> {
  const response = await fetch(`${url}/v1/operator/unknown-outcomes`, { headers: { authorization: `Bearer ${operatorKey}` } })
  assert.equal(response.status, 200)
  return (await response.json() as { 'unknown-outcomes': Array<{ 'correl-id': string }> })['unknown-outcomes'].map(outcome => outcome['correl-id'])
}

/** POSTs `batch`, SENDERS at a time, while `going()`; adds the correl-ids answered 202 to `accepted`. */
async function sendAll (api: ApiClient, batch: Array<Record<string, string>>, accepted: Set<string>, going: () => boolean): Promise<void> {
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    while (going()) {
      const request = batch.shift()
      if (request === undefined) return
      const answer = await api.send(request).catch(() => undefined)
      if (answer?.status === 202) accepted.add(request['correl-id'] as string)
    }
  }))
}

/**
 * Resolves once the queue is empty, every request with SENT has DELIVERED, the store holds no
 * correlation record, and a receipt sent again after a reconnect has been acknowledged. A record
 * is written before a message's SENT and removed once the final status its receipt reports is
 * stored; a receipt that finds no record reports nothing, now or later. So with no record left,
 * no receipt can bring a status any more (a request written, answered and killed before its
 * SENT has a record until its receipt, re-sent after the restart, reports it), and what is
 * listed and stored is final. A wait for events, not for quiet time: on a busy machine a quiet
 * spell of a few polls passed while receipts were still on their way. After 30 s it resolves
 * anyway, and the assertions say what is missing.
 */
async function settled (location: string, correlIds: readonly string[], smsc: SmscProcess): Promise<void> {
  const store = await openStore(location)
  try {
    await eventually('the queue empty, every SENT DELIVERED, no correlation record left, a re-sent receipt acknowledged', async () => {
      if (await store.requests.countQueued() > 0 || await correlationRecords(location) > 0) return false
      const shapes = await Promise.all(correlIds.map(async correlId => (await store.statuses.history(DEMO_CLIENT, correlId)).map(event => event.status).join(',')))
      const receipts = smsc.records.filter(record => record.event === 'receipt').map(record => record.messageId)
      return !shapes.includes('SENT') && receipts.length > new Set(receipts).size
    }, 30_000).catch(() => {})
  } finally {
    await store.close()
  }
}

/** How many correlation records the store holds, read beside the running gateway (SQLite in WAL mode lets a reader in). */
async function correlationRecords (location: string): Promise<number> {
  if (location.startsWith('postgres')) {
    return await withAdmin(async admin => Number((await admin.query<{ count: string }>('SELECT count(*) AS count FROM smsgw_correlations')).rows[0]?.count), location)
  }
  const db = new DatabaseSync(location, { readOnly: true })
  try {
    return Number((db.prepare('SELECT count(*) AS count FROM correlations').get() as { count: number }).count)
  } finally {
    db.close()
  }
}

interface SmscProcess {
  readonly port: number
  /** Its JSON log lines so far. */
  readonly records: Array<Record<string, unknown>>
  /** How many lines of this `event` it has logged. */
  count: (event: string) => number
  /** Resolves once it has logged `count` lines of this `event`. */
  reach: (event: string, count: number) => Promise<void>
}

/** `bin/smsgw smsc-sim` on a free port, re-sending after a bind the receipts acknowledged in the last RESEND_RECEIPTS_MS. */
async function startSmscProcess (t: TestContext): Promise<SmscProcess> {
  const child = spawn(SMSGW, ['smsc-sim', '--port', '0', '--receipt-delay-ms', '200', '--resend-receipts-ms', String(RESEND_RECEIPTS_MS)], { cwd: REPO, env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  const records: Array<Record<string, unknown>> = []
  const counts = new Map<string, number>()
  const count = (event: string): number => counts.get(event) ?? 0
  const waiters = new Set<() => void>()
  let partial = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.startsWith('{')) continue
      const record = JSON.parse(line) as Record<string, unknown>
      records.push(record)
      counts.set(String(record.event), count(String(record.event)) + 1)
    }
    for (const waiter of [...waiters]) waiter()
  })
  const reach = async (event: string, target: number): Promise<void> => {
    await new Promise<void>(resolve => {
      const check = (): void => {
        if (count(event) < target) return
        waiters.delete(check)
        resolve()
      }
      waiters.add(check)
      check()
    })
  }
  let port: number | undefined
  await eventually('the SMSC simulator listening', () => {
    port = records.find(record => record.event === 'listening')?.port as number | undefined
    return port !== undefined
  }, 20_000)
  return { port: port as number, records, count, reach }
}
