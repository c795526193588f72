import { createDecipheriv, createHmac, createSecretKey, hkdfSync, timingSafeEqual } from 'node:crypto'
import { generateX25519KeyPair, initInitiatorState, initResponderState, ratchetDecrypt, ratchetEncrypt, type RatchetState } from '../src/relay/ratchet/index.ts'
import { bestOfRounds, type Measurement } from './measure.ts'
import { printRelayEndToEndSection } from './relay-e2e-bench.ts'
import { printStoredDecryptSection } from './relay-store-bench.ts'
import { fmt, goalLine, measurementTable } from './report.ts'

// Issue 11: ratchet decryptions per second (pure, one core) next to the ceiling made of its own
// primitives on the same sizes, measured in the same run. A decryption inside a chain costs
// KDF_CK (two HMAC-SHA256 of 1 byte), the ENCRYPT key derivation (HKDF-SHA512, 80 bytes), the tag
// (HMAC-SHA256 over ad ‖ ciphertext) and AES-256-CBC; the ceiling runs exactly those calls, each
// key handed over as a secret KeyObject (node's fastest form: a Buffer key costs 5-13 µs more
// per call, which the ratchet no longer pays).

export const RATCHET_DECRYPT_GOAL_RATIO = 0.8
const SAMPLES = 64
/** A typical decrypted content: a v2 text post of about 140 characters. */
const PLAINTEXT_BYTES = 160

export interface RelayBenchResult {
  ceiling: Measurement
  decrypt: Measurement
  firstOfChain: Measurement
}

interface Sample {
  state: RatchetState
  message: Buffer
}

export function runRelayBench (budgetMs: number): RelayBenchResult {
  const server = generateX25519KeyPair()
  const sk = Buffer.alloc(32, 7)
  const plaintext = Buffer.alloc(PLAINTEXT_BYTES, 0x61)
  const options = { generateKeyPair: generateX25519KeyPair }
  let client = unwrap(initInitiatorState(sk, server.publicKey, generateX25519KeyPair))
  const first = unwrap(ratchetEncrypt(client, plaintext, server.publicKey))
  client = first.state
  const fresh = initResponderState(sk, server)
  let state = unwrap(ratchetDecrypt(fresh, first.message, server.publicKey, options)).state
  // Each sample: the server state just before message k of the chain, and message k.
  const inChain: Sample[] = []
  for (let index = 0; index < SAMPLES; index++) {
    const sent = unwrap(ratchetEncrypt(client, plaintext, server.publicKey))
    client = sent.state
    inChain.push({ state, message: sent.message })
    state = unwrap(ratchetDecrypt(state, sent.message, server.publicKey, options)).state
  }
  const ceilingInputs = inChain.map(sample => ({ chainKey: sample.state.receivingChainKey as Buffer, ad: Buffer.concat([server.publicKey, sample.message.subarray(4, 44)]), body: sample.message.subarray(44) }))
  const [ceiling, decrypt, firstOfChain] = bestOfRounds([
    { name: 'KDF_CK + HKDF-SHA512 + HMAC-SHA256 + AES-256-CBC (ceiling)', operation: index => primitives(pick(ceilingInputs, index)) },
    { name: 'ratchetDecrypt, next message of a chain', operation: index => { const sample = pick(inChain, index); return ratchetDecrypt(sample.state, sample.message, server.publicKey, options) } },
    { name: 'ratchetDecrypt, first message (DH step: 2 X25519 + a new key pair)', operation: () => ratchetDecrypt(fresh, first.message, server.publicKey, options) }
  ], budgetMs) as [Measurement, Measurement, Measurement]
  return { ceiling, decrypt, firstOfChain }
}

/** The section of `npm run bench`. */
export function printRelaySection (budgetMs: number): void {
  const relay = runRelayBench(budgetMs)
  console.log('## Relay ratchet: decryptions per second on one core (pure, no store)\n')
  console.log(measurementTable([
    { row: relay.ceiling, ceiling: relay.ceiling },
    { row: relay.decrypt, ceiling: relay.ceiling },
    { row: relay.firstOfChain, ceiling: relay.ceiling }
  ]))
  console.log()
  console.log(goalLine('ratchet decrypt / its primitive ceiling', relay.decrypt.perSecond / relay.ceiling.perSecond, RATCHET_DECRYPT_GOAL_RATIO))
  // On a loaded machine the rates swing by tens of percent between rows; the medians hold still.
  console.log(`context: a ${PLAINTEXT_BYTES}-byte content; by median latency the decrypt is ${fmt(relay.ceiling.p50Ms / relay.decrypt.p50Ms, 2)} of the ceiling; the first message of a chain runs at ${fmt(relay.firstOfChain.perSecond / relay.decrypt.perSecond, 2)}x the in-chain rate`)
}

function primitives (input: { chainKey: Buffer, ad: Buffer, body: Buffer }): Buffer {
  const chainKey = createSecretKey(input.chainKey)
  createHmac('sha256', chainKey).update(Buffer.from([1])).digest()
  const messageKey = createHmac('sha256', chainKey).update(Buffer.from([2])).digest()
  const okm = Buffer.from(hkdfSync('sha512', createSecretKey(messageKey), Buffer.alloc(80), 'ENCRYPT', 80))
  const ciphertext = input.body.subarray(0, input.body.length - 32)
  const tag = createHmac('sha256', createSecretKey(okm.subarray(32, 64))).update(input.ad).update(ciphertext).digest()
  timingSafeEqual(tag, input.body.subarray(input.body.length - 32))
  const decipher = createDecipheriv('aes-256-cbc', createSecretKey(okm.subarray(0, 32)), okm.subarray(64, 80))
  return Buffer.concat([decipher.update(ciphertext), decipher.final()])
}

function pick<T> (items: readonly T[], index: number): T {
  return items[index % items.length] as T
}

function unwrap<T> (outcome: { ok: true, value: T } | { ok: false, error: Error }): T {
  if (!outcome.ok) throw outcome.error
  return outcome.value
}

// `node bench/relay-bench.ts` runs the relay sections alone: the pure ratchet, DecryptPayload
// through the store, then the relay end to end (SQLite; PostgreSQL too when SMSGW_BENCH_POSTGRES,
// or else SMSGW_TEST_POSTGRES, names a server).
if (import.meta.main) {
  const budgetMs = Number(process.env.SMSGW_BENCH_BUDGET_MS ?? 3000)
  const postgresUrl = process.env.SMSGW_BENCH_POSTGRES ?? process.env.SMSGW_TEST_POSTGRES
  printRelaySection(budgetMs)
  console.log()
  const decryptRates = await printStoredDecryptSection(budgetMs, postgresUrl)
  console.log()
  await printRelayEndToEndSection(budgetMs, decryptRates, postgresUrl)
}
