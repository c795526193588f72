import assert from 'node:assert/strict'
import { afterEach, beforeEach, mock, test } from 'node:test'
import { Gateway, type HandledRequest } from '../../src/gateway/gateway.ts'
import type { IncomingRequest, RequestSource } from '../../src/gateway/request-source.ts'
import { createLogger, type Logger } from '../../src/log/logger.ts'

// Commits are gathered on a timer: the tests move it on by hand.
beforeEach(() => { mock.timers.enable({ apis: ['setTimeout'] }) })
afterEach(() => { mock.timers.reset() })

const COMMIT_INTERVAL_MS = 100

/** Lets the commit timer fire and the commits it starts run. */
const commitTick = async (): Promise<void> => {
  await settle()
  mock.timers.tick(COMMIT_INTERVAL_MS)
  await settle()
}

/** Lets pending promise reactions and I/O callbacks run (setImmediate is never mocked here). */
const settle = async (rounds = 5): Promise<void> => {
  for (let round = 0; round < rounds; round++) await new Promise(resolve => setImmediate(resolve))
}

const idOf = (stream: string, offset: bigint | number): string => `${stream}@${offset}`

/**
 * An in-memory RequestSource: an async generator over a queue the test fills. It waits for more
 * when the queue is empty, until end() or close(); every commit() is recorded.
 */
class TestSource implements RequestSource {
  readonly commits: string[] = []
  pulled = 0
  closed = false
  /** Runs for each commit; by default records it. */
  commitRequest: (request: IncomingRequest) => Promise<void> = async request => { this.commits.push(idOf(request.stream, request.offset)) }
  readonly #queue: IncomingRequest[] = []
  #ended = false
  #wake: (() => void) | undefined

  add (stream: string, ...offsets: number[]): this {
    for (const offset of offsets) {
      const request: IncomingRequest = {
        value: Buffer.from(idOf(stream, offset)),
        stream,
        offset: BigInt(offset),
        commit: async () => { await this.commitRequest(request) }
      }
      this.#queue.push(request)
    }
    this.#wake?.()
    return this
  }

  end (): this {
    this.#ended = true
    this.#wake?.()
    return this
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<IncomingRequest> {
    for (;;) {
      if (this.closed) return
      const next = this.#queue.shift()
      if (next !== undefined) {
        this.pulled++
        yield next
        continue
      }
      if (this.#ended) return
      await new Promise<void>(resolve => { this.#wake = resolve })
    }
  }

  async close (): Promise<void> {
    this.closed = true
    this.#wake?.()
  }
}

interface Running { resolve: (outcome: HandledRequest) => void, reject: (error: Error) => void }

/** A handle() the test finishes request by request; it counts how many run at once. */
class TestHandler {
  readonly started: string[] = []
  running = 0
  maxRunning = 0
  // By stream@offset; a redelivered request runs twice under one name, oldest first.
  readonly #running = new Map<string, Running[]>()

  readonly handle = async (request: IncomingRequest): Promise<HandledRequest> => {
    const id = idOf(request.stream, request.offset)
    this.started.push(id)
    this.running++
    this.maxRunning = Math.max(this.maxRunning, this.running)
    try {
      return await new Promise<HandledRequest>((resolve, reject) => {
        this.#running.set(id, [...(this.#running.get(id) ?? []), { resolve, reject }])
      })
    } finally {
      this.running--
    }
  }

  /** Finishes running requests; each outcome names its request, so commits can be traced. */
  finish (stream: string, ...offsets: number[]): void {
    for (const offset of offsets) this.#take(idOf(stream, offset)).resolve({ ledgerKey: idOf(stream, offset) })
  }

  fail (stream: string, offset: number, error: Error): void {
    this.#take(idOf(stream, offset)).reject(error)
  }

  #take (id: string): Running {
    const [running, ...rest] = this.#running.get(id) ?? []
    assert.ok(running, `${id} is not running`)
    if (rest.length === 0) this.#running.delete(id)
    else this.#running.set(id, rest)
    return running
  }
}

/** A logger whose lines the test reads back. */
function testLogger (): { log: Logger, lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { lines.push(JSON.parse(line)) } } })
  return { log, lines }
}

function startGateway (source: TestSource, handler: TestHandler, maxInFlight: number): { gateway: Gateway, committed: string[][], run: Promise<void>, lines: Array<Record<string, unknown>> } {
  const committed: string[][] = []
  const { log, lines } = testLogger()
  const gateway = new Gateway({
    source,
    handle: handler.handle,
    onCommitted: outcomes => committed.push(outcomes.map(outcome => outcome.ledgerKey ?? '?')),
    maxInFlight,
    commitIntervalMs: COMMIT_INTERVAL_MS,
    log
  })
  return { gateway, committed, run: gateway.run(), lines }
}

const offsets = (count: number): number[] => Array.from({ length: count }, (_, offset) => offset)

test('Gateway run handles every request and commits each stream once at its last offset when the source ends', async () => {
  const source = new TestSource().add('s/0', 0, 1, 2).add('s/1', 7, 8).end()
  const handler = new TestHandler()
  const { gateway, committed, run } = startGateway(source, handler, 10)
  await settle()
  assert.deepStrictEqual(handler.started, ['s/0@0', 's/0@1', 's/0@2', 's/1@7', 's/1@8'])
  for (const [stream, offset] of [['s/0', 0], ['s/1', 7], ['s/0', 1], ['s/0', 2], ['s/1', 8]] as const) {
    handler.finish(stream, offset)
    await settle()
  }
  await run
  assert.deepStrictEqual(source.commits, ['s/0@2', 's/1@8'])
  assert.deepStrictEqual(committed, [['s/0@0', 's/0@1', 's/0@2'], ['s/1@7', 's/1@8']])
  assert.deepStrictEqual({ handled: gateway.handled, inFlight: gateway.inFlight }, { handled: 5, inFlight: 0 })
})

test('Gateway gathers the commits of one interval into one per stream', async () => {
  const source = new TestSource().add('s/0', ...offsets(6))
  const handler = new TestHandler()
  const { committed, gateway, run } = startGateway(source, handler, 10)
  await settle()
  handler.finish('s/0', 0, 1)
  await settle()
  mock.timers.tick(COMMIT_INTERVAL_MS - 1)
  await settle()
  handler.finish('s/0', 2)
  await settle()
  assert.deepStrictEqual(source.commits, [])
  mock.timers.tick(1)
  await settle()
  assert.deepStrictEqual({ commits: source.commits, committed }, { commits: ['s/0@2'], committed: [['s/0@0', 's/0@1', 's/0@2']] })
  handler.finish('s/0', 3)
  await commitTick()
  assert.deepStrictEqual({ commits: source.commits, committed }, { commits: ['s/0@2', 's/0@3'], committed: [['s/0@0', 's/0@1', 's/0@2'], ['s/0@3']] })
  const stopping = gateway.stop(1_000)
  handler.finish('s/0', 4, 5)
  assert.equal(await stopping, true)
  await run
})

test('Gateway never runs more than maxInFlight requests at once, and stops pulling at the limit', async () => {
  const source = new TestSource().add('s/0', ...offsets(20)).end()
  const handler = new TestHandler()
  const { gateway, run } = startGateway(source, handler, 3)
  await settle()
  // Three run; the fourth is pulled and waits for a slot; nothing more is read.
  assert.deepStrictEqual({ started: handler.started.length, pulled: source.pulled, inFlight: gateway.inFlight }, { started: 3, pulled: 4, inFlight: 3 })
  for (const offset of offsets(20)) {
    handler.finish('s/0', offset)
    await settle()
    assert.ok(handler.running <= 3)
    assert.ok(source.pulled <= Math.min(20, offset + 5))
  }
  await run
  assert.deepStrictEqual({ maxRunning: handler.maxRunning, handled: gateway.handled }, { maxRunning: 3, handled: 20 })
})

test('Gateway holds the commit of later requests while an earlier one runs, then commits once at the last', async () => {
  const source = new TestSource().add('s/0', 0, 1, 2, 3, 4)
  const handler = new TestHandler()
  const { committed } = startGateway(source, handler, 10)
  await settle()
  handler.finish('s/0', 3, 1, 4, 2)
  await commitTick()
  await commitTick()
  assert.deepStrictEqual({ commits: source.commits, committed }, { commits: [], committed: [] })
  handler.finish('s/0', 0)
  await commitTick()
  assert.deepStrictEqual(source.commits, ['s/0@4'])
  assert.deepStrictEqual(committed, [['s/0@0', 's/0@1', 's/0@2', 's/0@3', 's/0@4']])
})

test('Gateway commits each stream on its own, so a slow request holds only its own stream', async () => {
  const source = new TestSource().add('s/0', 0, 1).add('s/1', 0, 1)
  const handler = new TestHandler()
  const { committed } = startGateway(source, handler, 10)
  await settle()
  handler.finish('s/0', 1)
  handler.finish('s/1', 0, 1)
  await commitTick()
  assert.deepStrictEqual(source.commits, ['s/1@1'])
  handler.finish('s/0', 0)
  await commitTick()
  assert.deepStrictEqual(source.commits, ['s/1@1', 's/0@1'])
  assert.deepStrictEqual(committed, [['s/1@0', 's/1@1'], ['s/0@0', 's/0@1']])
})

test('Gateway commits a stream one commit at a time, in offset order, when commits are slow', async () => {
  const source = new TestSource().add('s/0', 0, 1, 2)
  const handler = new TestHandler()
  const events: string[] = []
  const releases: Array<() => void> = []
  source.commitRequest = async request => {
    events.push(`start ${request.offset}`)
    await new Promise<void>(resolve => releases.push(resolve))
    events.push(`end ${request.offset}`)
  }
  const { committed } = startGateway(source, handler, 10)
  await settle()
  for (const offset of [0, 1, 2]) {
    handler.finish('s/0', offset)
    await commitTick()
  }
  assert.deepStrictEqual(events, ['start 0'])
  while (releases.length > 0) {
    releases.shift()?.()
    await settle()
  }
  assert.deepStrictEqual(events, ['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2'])
  assert.deepStrictEqual(committed, [['s/0@0'], ['s/0@1'], ['s/0@2']])
})

test('Gateway leaves a request and everything after it in its stream uncommitted when its handling rejects', async () => {
  const source = new TestSource().add('s/0', 0, 1, 2, 3).add('s/1', 0).end()
  const handler = new TestHandler()
  const { gateway, committed, run, lines } = startGateway(source, handler, 10)
  await settle()
  handler.finish('s/0', 0, 2, 3)
  handler.fail('s/0', 1, new Error('bug'))
  handler.finish('s/1', 0)
  await run
  assert.deepStrictEqual(source.commits, ['s/0@0', 's/1@0'])
  assert.deepStrictEqual(committed, [['s/0@0'], ['s/1@0']])
  assert.deepStrictEqual({ handled: gateway.handled, inFlight: gateway.inFlight }, { handled: 4, inFlight: 0 })
  const errors = lines.filter(line => line.level === 'error').map(({ msg, stream, offset }) => ({ msg, stream, offset }))
  assert.deepStrictEqual(errors, [{ msg: 'request handling failed; it stays uncommitted', stream: 's/0', offset: '1' }])
})

test('Gateway logs a failed commit, skips onCommitted for it, and commits later requests', async () => {
  const source = new TestSource().add('s/0', 0, 1).end()
  const handler = new TestHandler()
  source.commitRequest = async request => {
    if (request.offset === 0n) throw new Error('not the owner any more')
    source.commits.push(idOf(request.stream, request.offset))
  }
  const { committed, run, lines } = startGateway(source, handler, 10)
  await settle()
  handler.finish('s/0', 0)
  await commitTick()
  handler.finish('s/0', 1)
  await run
  assert.deepStrictEqual({ commits: source.commits, committed }, { commits: ['s/0@1'], committed: [['s/0@1']] })
  const warnings = lines.filter(line => line.level === 'warn').map(({ msg, offset }) => ({ msg, offset }))
  assert.deepStrictEqual(warnings, [{ msg: 'offset commit failed', offset: '0' }])
})

test('Gateway tracks a stream anew when its offsets go back after a rebalance', async () => {
  const source = new TestSource().add('s/0', 5, 6)
  const handler = new TestHandler()
  const { committed, run } = startGateway(source, handler, 10)
  await settle()
  // The partition comes back at 6 (its new owner committed 5 meanwhile) while the first 5 still runs.
  source.add('s/0', 6).end()
  await settle()
  assert.deepStrictEqual(handler.started, ['s/0@5', 's/0@6', 's/0@6'])
  handler.finish('s/0', 6)
  await commitTick()
  // The first tracker still waits for 5 ...
  assert.deepStrictEqual(source.commits, [])
  handler.finish('s/0', 6)
  await commitTick()
  // ... while the redelivered 6 commits on its own.
  assert.deepStrictEqual(source.commits, ['s/0@6'])
  handler.finish('s/0', 5)
  await run
  assert.deepStrictEqual(source.commits, ['s/0@6', 's/0@6'])
  assert.deepStrictEqual(committed, [['s/0@6'], ['s/0@5', 's/0@6']])
})

test('Gateway stop stops pulling, starts nothing new, waits for the requests in flight and commits them', async () => {
  const source = new TestSource().add('s/0', ...offsets(100))
  const handler = new TestHandler()
  const { committed, gateway, run } = startGateway(source, handler, 2)
  await settle()
  assert.deepStrictEqual({ started: handler.started, pulled: source.pulled }, { started: ['s/0@0', 's/0@1'], pulled: 3 })
  let stopped: boolean | undefined
  const stopping = gateway.stop(10_000).then(settled => { stopped = settled })
  await settle()
  assert.deepStrictEqual({ closed: source.closed, stopped }, { closed: true, stopped: undefined })
  handler.finish('s/0', 1)
  await settle()
  assert.equal(stopped, undefined)
  handler.finish('s/0', 0)
  await settle()
  // Offset 2, pulled while waiting for a slot, was not started after the stop; nothing more was pulled.
  assert.deepStrictEqual({ started: handler.started, pulled: source.pulled, stopped }, { started: ['s/0@0', 's/0@1'], pulled: 3, stopped: true })
  await stopping
  await run
  // The commit went out at once, without waiting for the interval.
  assert.deepStrictEqual({ commits: source.commits, committed }, { commits: ['s/0@1'], committed: [['s/0@0', 's/0@1']] })
})

test('Gateway stop resolves false when the requests in flight do not settle in time', async () => {
  const source = new TestSource().add('s/0', 0, 1)
  const handler = new TestHandler()
  const { gateway, run } = startGateway(source, handler, 10)
  await settle()
  let stopped: boolean | undefined
  const stopping = gateway.stop(5_000).then(settled => { stopped = settled })
  await settle()
  handler.finish('s/0', 1)
  mock.timers.tick(4_999)
  await settle()
  assert.equal(stopped, undefined)
  mock.timers.tick(1)
  await stopping
  assert.deepStrictEqual({ stopped, inFlight: gateway.inFlight, commits: source.commits }, { stopped: false, inFlight: 1, commits: [] })
  // A straggler that settles later is still committed.
  handler.finish('s/0', 0)
  await run
  assert.deepStrictEqual(source.commits, ['s/0@1'])
})

test('Gateway stop resolves true at once when nothing is in flight', async () => {
  const source = new TestSource()
  const { gateway, run } = startGateway(source, new TestHandler(), 10)
  await settle()
  assert.equal(await gateway.stop(1_000), true)
  await run
  assert.equal(source.pulled, 0)
})
