import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { test, type TestContext } from 'node:test'
import { prepareDemo } from '../../src/app/demo-setup.ts'
import { ApiKeyFile } from '../../src/http/api-keys/index.ts'
import { SmscSimulator } from '../../src/smpp/simulator/index.ts'
import { newPostgresLocation, withAdmin } from '../store/store-kinds.ts'
import { ApiClient, eventually, kinds, sealedRequest, temporaryFolder } from './app-fixtures.ts'
import { RunChild } from './run-child.ts'

// Issue 9, item 9: after a kill -9, requests that had been claimed but never written to the SMSC
// got no status at all. Here `bin/smsgw run` submits to an SMSC (our simulator, in this process,
// so that it outlives the gateway and keeps its own count of submit_sm received) that answers
// slowly through a window of 1, and is killed while one request is written and unanswered and
// the next one is claimed, waiting for the window slot. After a restart, every request that
// never reached the SMSC is SENT, once, and only the one the SMSC really received unanswered is
// listed as an unknown outcome.

const ACCOUNT = { systemId: 'smsgw', password: 'secret' }
const REQUESTS = 10
const TAKEOVER_MS = 1_500
const RESPONSE_DELAY_MS = 400
/**
 * From the second submit on, the SMSC holds its answers this long, so the state the test kills in
 * (one request written and unanswered, the next claimed) cannot move on between the test reading
 * it and the kill. When every answer came after 400 ms, a slow reading on a busy machine let the
 * written one be answered and the claimed one be marked `writing` before the kill: the test then
 * expected a request to be sent that had rightly been listed (marked before the kill, it may have
 * left). Shorter than `responseTimeoutMs`, so the gateway waits it out; the kill ends the
 * connection, and with it the answer held.
 */
const HOLD_ANSWERS_MS = 20_000

const bodyOf = (correlId: string): string => `Probe ${correlId}`

interface LedgerRow { correlId: string, writing: boolean, done: boolean }

/** The ledger's entries, read beside the running gateway (a SQLite file in WAL mode lets a reader in). */
async function ledgerRows (location: string): Promise<LedgerRow[]> {
  const rowOf = (key: unknown, writingAtMs: unknown, done: boolean): LedgerRow => ({ correlId: (JSON.parse(String(key)) as string[])[1] as string, writing: writingAtMs !== null, done })
  if (location.startsWith('postgres')) {
    return await withAdmin(async admin => (await admin.query('SELECT key, writing_at_ms, done FROM smsgw_ledger')).rows.map(row => rowOf(row.key, row.writing_at_ms, row.done === true)), location)
  }
  const db = new DatabaseSync(location, { readOnly: true })
  try {
    return db.prepare('SELECT key, writing_at_ms, done FROM ledger').all().map(row => rowOf(row.key, row.writing_at_ms, row.done === 1))
  } finally {
    db.close()
  }
}

// On SQLite the killed instance is started again; on PostgreSQL a second instance stands by
// from the start and takes the queue over when the consumer dies (the case of the issue: two
// instances, the consuming one killed).
for (const kind of ['sqlite', 'postgres'] as const) {
  test(`smsgw run on ${kind} killed with SIGKILL while requests wait for the SMSC window sends every request that never left, and lists only the one written as an unknown outcome`, { timeout: 120_000 }, async t => {
    await killWhileWaiting(t, kind)
  })
}

async function killWhileWaiting (t: TestContext, kind: 'sqlite' | 'postgres'): Promise<void> {
  const dataDir = await temporaryFolder('kill-in-flight')
  const demo = await prepareDemo(dataDir)
  const keys = await ApiKeyFile.open(join(dataDir, 'api-keys.json'))
  const key = (await keys.create('demo')).key
  // The unknown outcomes are listed to operators (issue 9, item 3).
  const operatorKey = (await keys.createOperatorKey()).key
  const smsc = await SmscSimulator.start({ accounts: [ACCOUNT], retainSubmitted: 1_000, receiptDelayMs: 50, port: 0 })
  t.after(async () => { await smsc.close() })
  const storeLocation = kind === 'postgres' ? await newPostgresLocation() : join(dataDir, 'smsgw.db')
  const configFile = join(dataDir, 'smsgw.json')
  await writeFile(configFile, JSON.stringify({
    vault: { file: demo.vault, password: '123456' },
    clients: { allowed: ['demo'] },
    smpp: { host: '127.0.0.1', port: smsc.address.port, ...ACCOUNT, windowSize: 1, responseTimeoutMs: 3 * HOLD_ANSWERS_MS, reconnectDelayMs: 100 },
    pipeline: { claimTakeoverMs: TAKEOVER_MS, openWorkers: 0 },
    ...(kind === 'postgres' ? { store: { url: storeLocation } } : {})
  }))
  const start = (): RunChild => {
    const child = new RunChild(dataDir, { SMSGW_LOG_LEVEL: 'info' }, ['--config', configFile])
    t.after(() => { if (child.running) child.signal('SIGKILL') })
    return child
  }
  const urlOf = async (child: RunChild): Promise<string> => (await child.stdoutMatch(/^ {2}dashboard +(http:\/\/\S+)\/dashboard$/m))[1] as string
  const received = (correlId: string): number => smsc.submitted.filter(message => message.shortMessage.toString('latin1') === bodyOf(correlId)).length

  let disconnects = 0
  smsc.on('disconnect', () => { disconnects++ })
  const first = start()
  const api = new ApiClient(await urlOf(first), key)
  await eventually('the gateway binds to the SMSC', () => smsc.boundSessions === 1)
  // PostgreSQL: the standby, started once the first holds the queue.
  const standby = kind === 'postgres' ? start() : undefined
  if (standby !== undefined) await urlOf(standby)
  // The standby binds too, before the SMSC holds its answers (its bind_resp among them).
  await eventually('every instance binds to the SMSC', () => smsc.boundSessions === (standby === undefined ? 1 : 2))
  smsc.setFaults({ responseDelayMs: RESPONSE_DELAY_MS })
  // Set as the second submit_sm is accepted, before its answer is scheduled: the first is answered.
  smsc.on('submit', () => { if (smsc.submitCount === 2) smsc.setFaults({ responseDelayMs: HOLD_ANSWERS_MS }) })
  const correlIds = Array.from({ length: REQUESTS }, (_, n) => `K${n}`)
  for (const correlId of correlIds) {
    const answer = await api.send(await sealedRequest(demo.publicKeys.demo as string, 'demo', correlId, { to: '+255713550921', sender: 'DEMO', body: bodyOf(correlId) }))
    assert.equal(answer.status, 202, correlId)
  }

  // Killed once a request is marked writing and at the SMSC (its answer held back), and the next
  // is claimed but waiting for the window slot: never written.
  let atKill: LedgerRow[] = []
  await eventually('one request written and unanswered, the next claimed and waiting', async () => {
    // The count before the ledger: once the second submit came, the SMSC holds every answer, so
    // what the ledger shows after it stays so until the kill (the first, answered, may be done).
    if (smsc.submitCount < 2) return false
    atKill = (await ledgerRows(storeLocation)).filter(row => !row.done)
    const written = atKill.filter(row => row.writing)
    return written.length === 1 && received((written[0] as { correlId: string }).correlId) === 1 && atKill.some(row => !row.writing)
  }, 30_000)
  first.signal('SIGKILL')
  assert.equal((await first.exited).signal, 'SIGKILL')
  // Whatever the killed process wrote has reached the SMSC once the SMSC has read to the end of its connection.
  await eventually('the SMSC sees the killed connection end', () => disconnects > 0)
  const receivedBeforeRestart = correlIds.filter(correlId => received(correlId) > 0)
  const writtenAtKill = atKill.filter(row => row.writing).map(row => row.correlId)
  const claimedAtKill = atKill.filter(row => !row.writing).map(row => row.correlId)

  smsc.setFaults({ responseDelayMs: 0 })
  const second = standby ?? start()
  const after = new ApiClient(await urlOf(second), key)
  const listUnknown = async (): Promise<string[]> => {
    const response = await fetch(`${await urlOf(second)}/v1/operator/unknown-outcomes`, { headers: { authorization: `Bearer ${operatorKey}` } })
    assert.equal(response.status, 200)
    return (await response.json() as { 'unknown-outcomes': Array<{ 'correl-id': string }> })['unknown-outcomes'].map(outcome => outcome['correl-id'])
  }
  const sent = new Set<string>()
  await eventually('every request SENT or listed as an unknown outcome', async () => {
    for (const correlId of correlIds) if (!sent.has(correlId) && kinds(await after.statuses(correlId)).includes('SENT')) sent.add(correlId)
    const unknown = await listUnknown()
    return correlIds.every(correlId => sent.has(correlId) || unknown.includes(correlId))
  }, 30_000)
  const unknown = await listUnknown()

  // The SMSC's own count: nothing twice; every request once, but the unknown one, which it got before the kill.
  // Counted per id, so that a failure says whether a request reached the SMSC twice or never.
  const receivedCounts = Object.fromEntries(correlIds.map(correlId => [correlId, received(correlId)]))
  assert.deepStrictEqual(receivedCounts, Object.fromEntries(correlIds.map(correlId => [correlId, 1])), `each request reached the SMSC exactly once (written at the kill: ${writtenAtKill.join(' ')}; claimed: ${claimedAtKill.join(' ')}; received before the restart: ${receivedBeforeRestart.join(' ')}; listed: ${unknown.join(' ')})`)
  assert.deepStrictEqual(unknown, writtenAtKill, 'only the request written at the kill is an unknown outcome')
  assert.ok(receivedBeforeRestart.includes(writtenAtKill[0] as string), 'the unknown one did reach the SMSC')
  assert.deepStrictEqual(correlIds.filter(correlId => !sent.has(correlId)), writtenAtKill, 'every other request is SENT')
  // The claimed one never left before the kill; the restart took its claim over and sent it.
  assert.ok(claimedAtKill.length > 0 && claimedAtKill.every(correlId => !receivedBeforeRestart.includes(correlId) && sent.has(correlId)), `claimed at the kill: ${claimedAtKill.join(' ')}`)
  assert.ok(second.logLines.some(line => line.msg === 'request claimed by an attempt that never wrote it; sending it' && claimedAtKill.includes(String(line.correlId))))
  const metrics = await (await fetch(`${await urlOf(second)}/metrics`)).text()
  assert.match(metrics, /^smsgw_ledger_unknown_outcomes 1$/m)
}
