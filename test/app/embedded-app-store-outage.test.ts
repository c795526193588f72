import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { testPostgresUrl } from '../harness/postgres.ts'
import { withAdmin } from '../store/store-kinds.ts'
import { ApiClient, eventually, hasFinal, kinds, sealedRequest, temporaryFolder } from './app-fixtures.ts'
import { demoPublicKey, startApp } from './embedded-app-fixture.ts'

// The app on PostgreSQL while every one of its connections is cut, again and again, as a
// restart of the server or a network failure cuts them: it keeps running, answers 503 while it
// cannot store, loses no accepted request and submits none twice. The cut is real
// (pg_terminate_backend on the app's own database), not a mock.

// A claim left by an attempt the cut interrupted counts as abandoned after this (default 60 s).
process.env.SMSGW_PIPELINE_CLAIM_TAKEOVER_MS = '1000'

async function cutConnections (database: string): Promise<number> {
  return await withAdmin(async admin => (await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])).rowCount ?? 0)
}

test('the app on PostgreSQL keeps running through cut connections: no accepted request lost, none submitted twice, and it delivers afterwards', { timeout: 90_000 }, async t => {
  const database = `outage_${randomUUID().replaceAll('-', '')}`
  await withAdmin(async admin => { await admin.query(`CREATE DATABASE ${database}`) })
  t.after(async () => { await withAdmin(async admin => { await admin.query(`DROP DATABASE ${database} WITH (FORCE)`) }) })
  const url = new URL(testPostgresUrl())
  url.pathname = `/${database}`
  const dataDir = await temporaryFolder('store-outage')
  const { app, log } = await startApp(t, dataDir, url.toString())
  const api = new ApiClient(app.url, app.newApiKey)
  const demoPub = demoPublicKey(app, 'demo')
  const request = async (correlId: string): Promise<Record<string, string>> => await sealedRequest(demoPub, 'demo', correlId, { to: '+255713000111', sender: 'DEMO', body: 'outage check' })

  const accepted: string[] = []
  const refused: number[] = []
  const sending = new AbortController()
  const cuts = (async () => {
    let count = 0
    while (!sending.signal.aborted) {
      await sleep(150)
      count += await cutConnections(database)
    }
    return count
  })()
  for (let n = 0; n < 60; n++) {
    const correlId = `cut-${n}`
    const answer = await api.send(await request(correlId)).catch(() => undefined)
    if (answer?.status === 202) accepted.push(correlId)
    else refused.push(answer?.status ?? 0)
  }
  sending.abort()
  const cut = await cuts
  t.diagnostic(`accepted ${accepted.length}, refused ${refused.length} (${[...new Set(refused)].join(', ')}), connections cut ${cut}`)
  assert.ok(cut > 0, 'connections were cut')
  assert.ok(accepted.length > 0, 'some requests were accepted between the cuts')
  assert.deepStrictEqual(refused.filter(status => status !== 503), [], 'a request that could not be stored is answered 503')

  // Every accepted request ends: delivered, or logged as claimed by an attempt the cut
  // interrupted (it may have reached the SMSC: no status, never a second submit).
  const unknown = (): Set<string> => new Set(log.filter(line => line.includes('outcome unknown')).map(line => String((JSON.parse(line) as { correlId?: string }).correlId)))
  await eventually('every accepted request settled', async () => {
    for (const correlId of accepted) {
      if (unknown().has(correlId)) continue
      if (!hasFinal(await api.statuses(correlId))) return false
    }
    return true
  }, 45_000).catch(async (error: Error) => {
    const pending = []
    for (const correlId of accepted) if (!unknown().has(correlId) && !hasFinal(await api.statuses(correlId))) pending.push(`${correlId}: ${kinds(await api.statuses(correlId)).join(',')}`)
    const warnings = log.filter(line => /"level":(40|50)/.test(line)).map(line => { const { msg, err } = JSON.parse(line) as { msg: string, err?: { message?: string } }; return `${msg} ${err?.message ?? ''}` })
    const counts = new Map<string, number>()
    for (const w of warnings) counts.set(w, (counts.get(w) ?? 0) + 1)
    assert.fail(`${error.message}\npending ${pending.length}: ${pending.slice(0, 10).join(' | ')}\n${[...counts].map(([w, c]) => `${c}x ${w}`).join('\n')}`)
  })
  for (const correlId of accepted) {
    const history = await api.statuses(correlId)
    const statuses = kinds(history)
    if (statuses.filter(status => status === 'SENT').length > 1) {
      const rows = await withAdmin(async admin => (await admin.query("SELECT seq, state FROM smsgw_requests WHERE value LIKE '%\"' || $1 || '\"%'", [correlId])).rows, url.toString())
      const sends = log.filter(line => line.includes(`"${correlId}"`)).map(line => { const o = JSON.parse(line) as Record<string, unknown>; return `${String(o.msg)} ${String(o.source ?? '')}` })
      assert.fail(`${correlId} was SENT twice; its queue rows ${JSON.stringify(rows)}, what the log says of it ${JSON.stringify(sends)}, its statuses ${JSON.stringify(history)}`)
    }
    if (!unknown().has(correlId)) assert.deepStrictEqual(statuses, ['SENT', 'DELIVERED'], correlId)
  }

  // And it works as before once the connections stay up.
  assert.equal((await api.send(await request('after'))).status, 202)
  assert.deepStrictEqual(kinds(await api.statusesWhen('after', hasFinal)), ['SENT', 'DELIVERED'])
})
