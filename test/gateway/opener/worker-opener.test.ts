import assert from 'node:assert/strict'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import workerThreads from 'node:worker_threads'
import { readFileSync } from 'node:fs'
import { Vault } from '../../../src/crypto/vault/vault.ts'
import { inlineOpener } from '../../../src/gateway/opener/inline-opener.ts'
import { MAX_OPEN_BATCH, WORKER_FAILURE_TEXT, WorkerOpener } from '../../../src/gateway/opener/worker-opener.ts'
import type { OpenVerdict } from '../../../src/gateway/stages/open-request.ts'
import { fixturePath, VECTOR_VAULT_PASSWORD } from '../../harness/fixtures.ts'
import { eventually } from '../../harness/eventually.ts'

const VAULT_FILE = fixturePath('zwets/builtin.vault')
const vectors: Array<{ name: string, payload: string }> = JSON.parse(readFileSync(fixturePath('zwets/sealed-payloads.json'), 'utf8'))
const happy = vectors.find(vector => vector.name === 'happy-lf')?.payload ?? assert.fail('vector happy-lf')
const failed: OpenVerdict = { kind: 'status', status: 'FAILED', errorText: WORKER_FAILURE_TEXT }

// Every worker the opener makes, so a test can kill one and see that none outlives close().
// WorkerOpener imports Worker from node:worker_threads; after syncBuiltinESMExports its binding
// follows the module's property, which is swapped for this subclass.
const OriginalWorker = workerThreads.Worker
const created: TrackedWorker[] = []
class TrackedWorker extends OriginalWorker {
  exited = false
  constructor (...args: ConstructorParameters<typeof OriginalWorker>) {
    super(...args)
    created.push(this)
    this.once('exit', () => { this.exited = true })
  }
}
before(() => {
  workerThreads.Worker = TrackedWorker
  syncBuiltinESMExports()
})
after(() => {
  workerThreads.Worker = OriginalWorker
  syncBuiltinESMExports()
})

const startOpener = async (workers: number, vaultFile = VAULT_FILE): Promise<WorkerOpener> =>
  await WorkerOpener.start({ workers, vaultFile, vaultPassword: VECTOR_VAULT_PASSWORD, reloadIntervalMs: 60_000 })

/** Closes the opener and makes sure none of its workers lives on (or kills it, so the run can end). */
async function closeAll (opener: WorkerOpener, from: number): Promise<void> {
  await opener.close()
  const mine = created.slice(from)
  try {
    await eventually('every worker exited after close()', () => mine.every(worker => worker.exited))
  } finally {
    await Promise.all(mine.map(async worker => await worker.terminate()))
  }
}

test('WorkerOpener with two workers opens every shared vector to the verdict inlineOpener gives', async () => {
  const from = created.length
  const opener = await startOpener(2)
  try {
    assert.equal(created.length - from, 2)
    const inline = inlineOpener(await Vault.load(VAULT_FILE, VECTOR_VAULT_PASSWORD))
    const expected = await Promise.all(vectors.map(async ({ payload }) => await inline.open('test', payload)))
    // All at once, so both workers take some; and for another client, whose keys are not these.
    assert.deepStrictEqual(await Promise.all(vectors.map(async ({ payload }) => await opener.open('test', payload))), expected)
    assert.deepStrictEqual(await opener.open('TEST', happy), await inline.open('TEST', happy))
    assert.deepStrictEqual(await opener.open('acme', happy), await inline.open('acme', happy))
    assert.equal(expected.filter(verdict => verdict.kind === 'continue').length, 10)
  } finally {
    await closeAll(opener, from)
  }
})

test('WorkerOpener posts the tasks asked for in one turn to a worker in batches of at most MAX_OPEN_BATCH, and answers each with its own verdict', async () => {
  const from = created.length
  const opener = await startOpener(1)
  try {
    const worker = created[from] as TrackedWorker
    const batches: number[] = []
    const post = worker.postMessage.bind(worker)
    worker.postMessage = (tasks: unknown[]) => { batches.push(tasks.length); post(tasks) }
    const inline = inlineOpener(await Vault.load(VAULT_FILE, VECTOR_VAULT_PASSWORD))
    const payloads = Array.from({ length: 2 * MAX_OPEN_BATCH + 1 }, (_, index) => (vectors[index % vectors.length] as { payload: string }).payload)
    const verdicts = await Promise.all(payloads.map(async payload => await opener.open('test', payload)))
    assert.deepStrictEqual(batches, [MAX_OPEN_BATCH, MAX_OPEN_BATCH, 1])
    assert.deepStrictEqual(verdicts, await Promise.all(payloads.map(async payload => await inline.open('test', payload))))
  } finally {
    await closeAll(opener, from)
  }
})

test('WorkerOpener open answers FAILED when it is closed', async () => {
  const from = created.length
  const opener = await startOpener(2)
  await closeAll(opener, from)
  assert.deepStrictEqual(await opener.open('test', happy), failed)
})

test('WorkerOpener start rejects with the vault error when the password is wrong, and leaves no worker running', async () => {
  const from = created.length
  await assert.rejects(
    WorkerOpener.start({ workers: 2, vaultFile: VAULT_FILE, vaultPassword: 'wrong', reloadIntervalMs: 60_000 }),
    { name: 'SmsgwError', code: 'SMSGW_VAULT_PASSWORD' }
  )
  await eventually('the failed workers exited', () => created.slice(from).every(worker => worker.exited))
})

test('WorkerOpener answers FAILED for the tasks of a worker that dies, replaces it, and opens again', async () => {
  const from = created.length
  const opener = await startOpener(1)
  try {
    const worker = created[from] as TrackedWorker
    // Take the task away from the worker (it is posted at the end of this turn of the event
    // loop), so it is still pending when the worker dies.
    worker.postMessage = () => {}
    const pending = opener.open('test', happy)
    await worker.terminate()
    assert.deepStrictEqual(await pending, failed)
    await eventually('a replacement worker opens', async () => (await opener.open('test', happy)).kind === 'continue')
    assert.equal(created.length - from, 2)
  } finally {
    await closeAll(opener, from)
  }
})

test('WorkerOpener survives a worker that throws, answers FAILED for its task, and opens again', async () => {
  const from = created.length
  const opener = await startOpener(1)
  try {
    // Not a string: the worker's vault lookup throws outside openRequest's guard, and the worker dies
    // of the uncaught exception (as it would of running out of memory).
    assert.deepStrictEqual(await opener.open(undefined as unknown as string, happy), failed)
    await eventually('a replacement worker opens', async () => (await opener.open('test', happy)).kind === 'continue')
  } finally {
    await closeAll(opener, from)
  }
})

test('WorkerOpener close stops a replacement worker that was still starting', async () => {
  const from = created.length
  const opener = await startOpener(1)
  await (created[from] as TrackedWorker).terminate()
  await eventually('a replacement worker is made', () => created.length - from === 2)
  await closeAll(opener, from)
})

test('WorkerOpener keeps answering FAILED, and the process keeps running, when a replacement worker cannot start', async () => {
  const from = created.length
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-opener-'))
  try {
    const vaultFile = join(dir, 'gateway.vault')
    await copyFile(VAULT_FILE, vaultFile)
    const opener = await startOpener(1, vaultFile)
    try {
      await writeFile(vaultFile, 'not a vault any more')
      await (created[from] as TrackedWorker).terminate()
      await eventually('the replacement worker failed', () => created.length - from === 2 && (created[from + 1] as TrackedWorker).exited)
      assert.deepStrictEqual(await opener.open('test', happy), failed)
    } finally {
      await closeAll(opener, from)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
