import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { agree, generateX25519KeyPair, initInitiatorState, ratchetEncrypt } from '../src/relay/ratchet/index.ts'
import { createAccount, decryptPayload, parseSealingKeyRing, type RelayVault } from '../src/relay/vault/index.ts'
import type { EmbeddedStore } from '../src/store/embedded-store.ts'
import { openStore } from '../src/store/open-store.ts'
import { newSchema } from './embedded-bench.ts'
import { percentile, type Measurement } from './measure.ts'
import { fmt, goalLine } from './report.ts'

// Issue 11: DecryptPayload through the store (relay.md §3, §7), each call reading the account's
// sealed state, opening it, decrypting, sealing the new state and writing it back under the
// compare-and-set, durable before it resolves (SQLite WAL synchronous=FULL; PostgreSQL with fsync).
// Many accounts decrypt at once, one message after another each, as SMS from many users arrive;
// the group commit (SQLite) and the pool (PostgreSQL) share the cost of a commit between them.

export const STORED_DECRYPT_GOAL_PER_SECOND = 2_000
const PLAINTEXT_BYTES = 160
const MESSAGES_PER_ACCOUNT = 400

interface StoredCase {
  readonly name: string
  readonly accounts: number
}

const CASES: readonly StoredCase[] = [
  { name: '64 accounts at once, one message after another each', accounts: 64 },
  { name: 'one account, one message after another', accounts: 1 }
]

export async function runStoredDecryptBench (budgetMs: number, postgresUrl?: string): Promise<Array<Measurement & { store: string }>> {
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-relay-bench-'))
  const results: Array<Measurement & { store: string }> = []
  try {
    let fresh = 0
    for (const benchCase of CASES) {
      results.push({ store: 'SQLite', ...await measureCase(benchCase, join(dir, `relay-${++fresh}.db`), budgetMs) })
      if (postgresUrl === undefined) continue
      const schema = `relay_bench_${process.pid}_${++fresh}`
      try {
        results.push({ store: 'PostgreSQL', ...await measureCase(benchCase, await newSchema(postgresUrl, schema), budgetMs) })
      } finally {
        await dropSchema(postgresUrl, schema)
      }
    }
    return results
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function measureCase ({ name, accounts }: StoredCase, location: string, budgetMs: number): Promise<Measurement> {
  const store: EmbeddedStore = await openStore(location)
  try {
    const vault: RelayVault = {
      accounts: store.relay,
      tokens: store.relayTokens,
      keys: unwrap(parseSealingKeyRing(`bench ${randomBytes(32).toString('base64')}`)),
      identifierKey: randomBytes(32),
      generateKeyPair: generateX25519KeyPair
    }
    const queues = await Promise.all(Array.from({ length: accounts }, async (_, index) => await accountWithMessages(vault, `+2376500${String(index).padStart(5, '0')}`)))
    const latencies: number[] = []
    const start = performance.now()
    await Promise.all(queues.map(async ({ entityId, messages }) => {
      for (const message of messages) {
        if (performance.now() - start >= budgetMs) return
        const before = performance.now()
        unwrap(await decryptPayload(vault, { entityId }, message))
        latencies.push(performance.now() - before)
      }
    }))
    const elapsedMs = performance.now() - start
    const sorted = Float64Array.from(latencies).sort()
    return { name, operations: latencies.length, perSecond: latencies.length / (elapsedMs / 1000), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) }
  } finally {
    await store.close()
  }
}

/** A new account and MESSAGES_PER_ACCOUNT messages of its app's first chain, encrypted ahead. */
async function accountWithMessages (vault: RelayVault, identifier: string): Promise<{ entityId: string, messages: Buffer[] }> {
  const client = generateX25519KeyPair()
  const created = unwrap(await createAccount(vault, { identifier, countryCode: 'CM', passwordHash: '$argon2id$bench', clientPublishPublicKey: client.publicKey, clientDeviceIdPublicKey: generateX25519KeyPair().publicKey }))
  const server = created.handshake.serverPublishKeyPair
  let state = unwrap(initInitiatorState(agree(server.privateKey, client.publicKey) as Buffer, server.publicKey, generateX25519KeyPair))
  const plaintext = Buffer.alloc(PLAINTEXT_BYTES, 0x61)
  const messages: Buffer[] = []
  for (let index = 0; index < MESSAGES_PER_ACCOUNT; index++) {
    const sent = unwrap(ratchetEncrypt(state, plaintext, server.publicKey))
    state = sent.state
    messages.push(sent.message)
  }
  return { entityId: created.entityId, messages }
}

/** The many-accounts rate of each store: the ceiling the relay's end to end is judged against (relay-e2e-bench.ts). */
export function manyAccountsRates (rows: ReadonlyArray<Measurement & { store: string }>): Record<string, number> {
  return Object.fromEntries(rows.filter(row => row.name === CASES[0]?.name).map(row => [row.store, row.perSecond]))
}

/** The section of `npm run bench` (given a PostgreSQL server, its rows too); resolves with the many-accounts rates. */
export async function printStoredDecryptSection (budgetMs: number, postgresUrl?: string): Promise<Record<string, number>> {
  const rows = await runStoredDecryptBench(budgetMs, postgresUrl)
  console.log('## Relay DecryptPayload through the store: state read, advanced, sealed and written back (durable)\n')
  console.log('| store | case | decryptions/s | p50 ms | p99 ms |')
  console.log('|---|---|---:|---:|---:|')
  for (const row of rows) console.log(`| ${row.store} | ${row.name} | ${fmt(row.perSecond)} | ${fmt(row.p50Ms, 2)} | ${fmt(row.p99Ms, 2)} |`)
  console.log()
  const sqlite = rows.find(row => row.store === 'SQLite' && row.name === CASES[0]?.name)
  if (sqlite !== undefined) console.log(goalLine('stored DecryptPayload on SQLite, many accounts, per second', sqlite.perSecond, STORED_DECRYPT_GOAL_PER_SECOND))
  return manyAccountsRates(rows)
}

/** The server may be shared (a developer's, the tests'): the bench leaves no schema behind. */
export async function dropSchema (url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}

function unwrap<T> (outcome: { ok: true, value: T } | { ok: false, error: Error }): T {
  if (!outcome.ok) throw outcome.error
  return outcome.value
}
