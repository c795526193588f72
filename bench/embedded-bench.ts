import { randomBytes } from 'node:crypto'
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { DatabaseSync } from 'node:sqlite'
import pg from 'pg'
import type { EmbeddedStore } from '../src/store/embedded-store.ts'
import { openStore } from '../src/store/open-store.ts'
import type { SynchronousMode } from '../src/config/synchronous-modes.ts'
import { EmbeddedIngress } from '../src/transport/embedded/embedded-ingress.ts'
import { percentile, type Measurement } from './measure.ts'

/** The goal for requests accepted into the durable queue, per second. */
export const EMBEDDED_INGRESS_GOAL_PER_SECOND = 5_000

interface IngressCase {
  name: string
  batchSize: number
  /** Callers accepting at the same time, each awaiting its accept before the next. */
  callers: number
  synchronous: SynchronousMode
}

const CASES: readonly IngressCase[] = [
  { name: 'batches of 1, one caller', batchSize: 1, callers: 1, synchronous: 'full' },
  { name: 'batches of 1, 64 concurrent callers', batchSize: 1, callers: 64, synchronous: 'full' },
  { name: 'batches of 100, one caller', batchSize: 100, callers: 1, synchronous: 'full' },
  { name: 'batches of 1, one caller, synchronous=normal (not the default)', batchSize: 1, callers: 1, synchronous: 'normal' }
]

const WARM_UP_ACCEPTS = 50
const ROUNDS = 3

/** The one-caller case, judged against the ceilings below. */
export const ONE_CALLER_CASE = CASES[0] as IngressCase
/** Names of the two ceilings of one commit after another in the same temp folder, no smsgw code in between. */
export const SQLITE_COMMIT_CEILING = 'ceiling: SQLite single-row INSERT commits, WAL, synchronous=FULL, no smsgw code'
export const FDATASYNC_CEILING = 'ceiling: append 1 KiB + fdatasync, same folder'

const POSTGRES_CASES: readonly IngressCase[] = [
  { name: 'PostgreSQL: batches of 1, one caller', batchSize: 1, callers: 1, synchronous: 'full' },
  { name: 'PostgreSQL: batches of 1, 64 concurrent callers', batchSize: 1, callers: 64, synchronous: 'full' },
  { name: 'PostgreSQL: batches of 100, one caller', batchSize: 100, callers: 1, synchronous: 'full' }
]
/** Connections of the raw-INSERT ceiling: the store's default pool size. */
const CEILING_CONNECTIONS = 10

/**
 * Requests accepted per second into the embedded durable queue (a SQLite file in the OS temp
 * folder, as shipped: WAL, synchronous=FULL; and, given `postgresUrl`, a PostgreSQL store in a
 * fresh schema of that server), each case for about `durationMs` in ROUNDS interleaved rounds
 * on fresh stores, the best round kept: the disk is shared, and another process's writes only
 * ever slow an fsync down. Latencies are of one accept call, from the call until it resolved
 * (committed). A request is a sealed request JSON of about 1 KiB, the size of a legacy RSA-2048
 * one. With the SQLite cases come two ceilings of one caller on the same file system, measured
 * in the same rounds: SQLite's own single-row commit loop and append + fdatasync. With PostgreSQL comes its ceiling on this machine: single-row INSERTs of the same size,
 * each its own transaction, over CEILING_CONNECTIONS connections with no smsgw code in between.
 */
export async function runEmbeddedIngressBench (durationMs: number, postgresUrl?: string): Promise<Measurement[]> {
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-embedded-bench-'))
  const cases = postgresUrl === undefined ? CASES : [...CASES, ...POSTGRES_CASES]
  let fresh = 0
  const location = async (benchCase: IngressCase): Promise<string> => {
    fresh++
    return POSTGRES_CASES.includes(benchCase) ? await newSchema(postgresUrl as string, `bench_${process.pid}_${fresh}`) : join(dir, `bench-${fresh}.db`)
  }
  try {
    // The ceilings run in the same rounds, interleaved with the cases: an fsync's cost is the
    // file system's and the disk's of the moment, so the one-caller case is judged by its ratio.
    const ceilings = [
      () => measureSqliteCommitCeiling(join(dir, `ceiling-${++fresh}.db`), durationMs / ROUNDS),
      () => measureFdatasyncCeiling(join(dir, `ceiling-${++fresh}.bin`), durationMs / ROUNDS)
    ]
    const runs = [...cases.map(benchCase => async () => await measureCase(benchCase, await location(benchCase), durationMs / ROUNDS)), ...ceilings]
    const best: Array<Measurement | undefined> = runs.map(() => undefined)
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, run] of runs.entries()) {
        const result = await run()
        if ((best[index]?.perSecond ?? -1) < result.perSecond) best[index] = result
      }
    }
    if (postgresUrl !== undefined) best.push(await measurePostgresCeiling(await newSchema(postgresUrl, `bench_${process.pid}_ceiling`), durationMs))
    return best as Measurement[]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function measureCase ({ name, batchSize, callers, synchronous }: IngressCase, location: string, durationMs: number): Promise<Measurement> {
  const store: EmbeddedStore = await openStore(location, { synchronous })
  try {
    const ingress = new EmbeddedIngress(store.requests)
    const batch = Array.from({ length: batchSize }, sampleRequest)
    for (let index = 0; index < WARM_UP_ACCEPTS; index++) await ingress.accept(batch)
    const latencies: number[] = []
    const start = performance.now()
    const caller = async (): Promise<void> => {
      while (performance.now() - start < durationMs) {
        const before = performance.now()
        await ingress.accept(batch)
        latencies.push(performance.now() - before)
      }
    }
    await Promise.all(Array.from({ length: callers }, caller))
    const elapsedMs = performance.now() - start
    const sorted = Float64Array.from(latencies).sort()
    const operations = latencies.length * batchSize
    return { name, operations, perSecond: operations / (elapsedMs / 1000), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) }
  } finally {
    await store.close()
  }
}

/**
 * What one caller committing one row at a time can reach on this file system: SQLite alone
 * (the same pragmas as the store, autocommit single-row INSERTs of the same value into a table
 * of the queue's columns), in a synchronous loop with no promise, timer or smsgw code.
 */
function measureSqliteCommitCeiling (file: string, durationMs: number): Measurement {
  const db = new DatabaseSync(file)
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL')
    db.exec('CREATE TABLE requests (seq INTEGER PRIMARY KEY AUTOINCREMENT, value TEXT NOT NULL, accepted_at_ms INTEGER NOT NULL, state TEXT NOT NULL)')
    db.exec("CREATE INDEX requests_queued ON requests (seq) WHERE state = 'queued'")
    const insert = db.prepare('INSERT INTO requests (value, accepted_at_ms, state) VALUES (?, ?, \'queued\')')
    const value = sampleRequest(undefined, 0)
    return measureLoop(SQLITE_COMMIT_CEILING, durationMs, () => { insert.run(value, Date.now()) })
  } finally {
    db.close()
  }
}

/** The file system's own bound: append about a request's bytes to a file and fdatasync it, again and again. */
function measureFdatasyncCeiling (file: string, durationMs: number): Measurement {
  const fd = openSync(file, 'a')
  try {
    const bytes = Buffer.from(sampleRequest(undefined, 0))
    return measureLoop(FDATASYNC_CEILING, durationMs, () => { writeSync(fd, bytes); fdatasyncSync(fd) })
  } finally {
    closeSync(fd)
  }
}

function measureLoop (name: string, durationMs: number, operation: () => void): Measurement {
  for (let index = 0; index < WARM_UP_ACCEPTS; index++) operation()
  const latencies: number[] = []
  const start = performance.now()
  while (performance.now() - start < durationMs) {
    const before = performance.now()
    operation()
    latencies.push(performance.now() - before)
  }
  const elapsedMs = performance.now() - start
  const sorted = Float64Array.from(latencies).sort()
  return { name, operations: latencies.length, perSecond: latencies.length / (elapsedMs / 1000), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) }
}

/** Creates `schema` on the server of `url`; resolves with a URL whose tables go there. */
export async function newSchema (url: string, schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`)
  } finally {
    await client.end()
  }
  const withSchema = new URL(url)
  withSchema.searchParams.set('options', `-c search_path=${schema}`)
  return withSchema.toString()
}

async function measurePostgresCeiling (url: string, durationMs: number): Promise<Measurement> {
  const pool = new pg.Pool({ connectionString: url, max: CEILING_CONNECTIONS })
  try {
    await pool.query('CREATE TABLE ceiling (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, value text NOT NULL)')
    const value = sampleRequest(undefined, 0)
    const latencies: number[] = []
    const start = performance.now()
    await Promise.all(Array.from({ length: CEILING_CONNECTIONS }, async () => {
      while (performance.now() - start < durationMs) {
        const before = performance.now()
        await pool.query('INSERT INTO ceiling (value) VALUES ($1)', [value])
        latencies.push(performance.now() - before)
      }
    }))
    const elapsedMs = performance.now() - start
    const sorted = Float64Array.from(latencies).sort()
    return { name: `PostgreSQL ceiling: single-row INSERT transactions over ${CEILING_CONNECTIONS} connections`, operations: latencies.length, perSecond: latencies.length / (elapsedMs / 1000), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) }
  } finally {
    await pool.end()
  }
}

function sampleRequest (_: unknown, index: number): string {
  return JSON.stringify({ 'client-id': 'bench', 'correl-id': `B${index}`, deadline: '2100-01-01T00:00:00Z', payload: randomBytes(700).toString('base64') })
}
