import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.ts'
import { openEmbeddedTransport } from '../../../src/transport/embedded/embedded-transport.ts'
import { openStore } from '../../../src/store/open-store.ts'
import { tempStoreFiles } from '../../store/temp-files.ts'

// "Accepted means stored: kill -9 at any moment loses no accepted request and submits none
// twice." Real child processes, killed with SIGKILL while they work.

const files = await tempStoreFiles('kill-recovery')
const NODE = fileURLToPath(new URL('../../../node_modules/.bin/node', import.meta.url))
const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url))

interface Child {
  /** Resolves with the lines printed so far once `predicate` holds for them. */
  readonly linesWhen: (predicate: (lines: readonly string[]) => boolean) => Promise<readonly string[]>
  readonly kill: () => void
  readonly exited: Promise<{ code: number | null, signal: NodeJS.Signals | null, lines: readonly string[], stderr: string }>
}

/** Runs a fixture on the repo's Node, without the test runner's environment. */
function run (script: string, args: readonly string[]): Child {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('NODE_TEST')))
  const child = spawn(NODE, [fixture(script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  let partial = ''
  let stderr = ''
  const waiters = new Set<() => void>()
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts)
    for (const waiter of [...waiters]) waiter()
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => { stderr += chunk })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null, lines: readonly string[], stderr: string }>(resolve => {
    child.on('close', (code, signal) => {
      for (const waiter of [...waiters]) waiter()
      resolve({ code, signal, lines, stderr })
    })
  })
  return {
    exited,
    kill: () => { child.kill('SIGKILL') },
    linesWhen: async predicate => await new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(lines)) {
          waiters.delete(check)
          resolve(lines)
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check)
          reject(new Error(`${script} ended early (${child.exitCode ?? child.signalCode}): ${stderr}`))
        }
      }
      waiters.add(check)
      check()
    })
  }
}

test('EmbeddedIngress loses no accepted request when its process is killed with SIGKILL mid-stream, and stores no batch in part', async () => {
  const file = files.next()
  const child = run('accept-loop.ts', [file, '8'])
  await child.linesWhen(lines => lines.length >= 3_000)
  child.kill()
  const { signal, lines } = await child.exited
  assert.equal(signal, 'SIGKILL')
  const accepted = lines.filter(line => line !== '').map(line => {
    const space = line.indexOf(' ')
    return { seq: Number(line.slice(0, space)), value: line.slice(space + 1) }
  })

  const store = SqliteStore.open(file)
  const stored = store.requests.queuedAfter(0, Number.MAX_SAFE_INTEGER)
  store.close()
  const storedBySeq = new Map(stored.map(request => [request.seq, request.value]))
  const lost = accepted.filter(({ seq, value }) => storedBySeq.get(seq) !== value)
  assert.deepStrictEqual(lost, [], 'every request reported accepted is stored, under its seq')
  // Every batch is there whole: a kill during its transaction leaves none of it.
  const batches = new Map<string, { size: number, count: number }>()
  for (const { value } of stored) {
    const [batch, size] = String(JSON.parse(value)['correl-id']).split(/[-/]/).filter((_, index) => index !== 1)
    const entry = batches.get(batch as string) ?? { size: Number(size), count: 0 }
    entry.count++
    batches.set(batch as string, entry)
  }
  assert.deepStrictEqual([...batches].filter(([, { size, count }]) => size !== count), [])
  assert.ok(stored.length >= accepted.length)
})

test('Gateway on the embedded transport submits no request twice when killed with SIGKILL mid-stream and restarted, and ends with every request done', async () => {
  const file = files.next()
  const submittedFile = join(files.dir, 'submitted.txt')
  const ids = Array.from({ length: 2_000 }, (_, index) => `R${index}`)
  const store = SqliteStore.open(file)
  await store.requests.enqueue(ids.map(id => JSON.stringify({ 'client-id': 'test', 'correl-id': id, deadline: '2100-01-01T00:00:00Z', payload: 'AA==' })))
  store.close()

  const first = run('submit-loop.ts', [file, submittedFile, '60000', 'run'])
  await first.linesWhen(lines => lines.filter(line => line.startsWith('submitted ')).length >= 400)
  first.kill()
  assert.equal((await first.exited).signal, 'SIGKILL')
  const afterKill = SqliteStore.open(file)
  const queuedAfterKill = afterKill.requests.countQueued()
  afterKill.close()
  assert.ok(queuedAfterKill > 0 && queuedAfterKill < ids.length, `killed mid-way (${queuedAfterKill} still queued)`)

  // A short takeover: claims the killed process left unfinished are judged abandoned quickly.
  const second = run('submit-loop.ts', [file, submittedFile, '100', 'drain'])
  const { code, lines, stderr } = await second.exited
  assert.equal(code, 0, stderr)
  assert.equal(lines.at(-1), 'drained')

  const submitted = (await readFile(submittedFile, 'utf8')).split('\n').filter(line => line !== '')
  const duplicates = submitted.filter((id, index) => submitted.indexOf(id) !== index)
  assert.deepStrictEqual(duplicates, [], 'no request submitted twice')
  // What was never submitted is what the killed process marked `writing` and may have submitted
  // (at most its in-flight limit): an unknown outcome, reported by no status (spec §7). What it
  // had only claimed was taken over and submitted.
  const abandoned = lines.filter(line => line.startsWith('abandoned ')).map(line => line.slice('abandoned '.length))
  const neither = ids.filter(id => !submitted.includes(id) && !abandoned.includes(id))
  assert.deepStrictEqual(neither, [])
  assert.ok(abandoned.length <= 8, `abandoned: ${abandoned.join(' ')}`)

  // The unknown outcomes stay in the ledger, and only they.
  const transport = await openEmbeddedTransport(await openStore(file))
  const kept = (await transport.ledgerLog.entries()).map(({ key }) => JSON.parse(key)[1] as string)
  assert.deepStrictEqual([await transport.store.requests.countQueued(), kept.sort()], [0, [...abandoned].sort()])
  await transport.close()
})
