import { performance } from 'node:perf_hooks'
import { planSms } from '../src/sms/encoding/index.ts'
import { shortMessageBody } from '../src/smpp/codec/index.ts'
import type { ShortMessageBody } from '../src/smpp/codec/index.ts'
import { SmscSession, socketConnector } from '../src/smpp/session/index.ts'
import { SmscSimulator } from '../src/smpp/simulator/index.ts'
import { percentile } from './measure.ts'

export interface BindResult {
  windowSize: number
  responseDelayMs: number
  submits: number
  perSecond: number
  p50Ms: number
  p99Ms: number
}

/**
 * submit_sm per second through one bind against the SMSC simulator, with `windowSize` submits
 * in flight at once: the window is what lets throughput exceed one submit per round trip.
 */
export async function runBindBench (windowSizes: readonly number[], responseDelayMs: number, budgetMs: number): Promise<BindResult[]> {
  // The simulator runs in this process; `responseDelayMs` stands for the network and the SMSC.
  const simulator = await SmscSimulator.start({ port: 0, retainSubmitted: 0, rules: [], faults: { responseDelayMs } })
  const results: BindResult[] = []
  try {
    for (const windowSize of windowSizes) {
      const session = new SmscSession({
        connect: socketConnector({ host: '127.0.0.1', port: simulator.address.port }),
        systemId: 'smsgw',
        password: 'secret',
        windowSize,
        onDeliver: async () => {}
      })
      await session.bound()
      const body = submitBody()
      const latencies: number[] = []
      const started = performance.now()
      const until = started + budgetMs
      // One submitter per window slot, each submitting back to back until the budget is spent.
      await Promise.all(Array.from({ length: windowSize }, async () => {
        while (performance.now() < until) {
          const before = performance.now()
          await session.submit(body)
          latencies.push(performance.now() - before)
        }
      }))
      const seconds = (performance.now() - started) / 1000
      await session.close()
      latencies.sort((a, b) => a - b)
      results.push({ windowSize, responseDelayMs, submits: latencies.length, perSecond: latencies.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) })
    }
  } finally {
    await simulator.close()
  }
  return results
}

function submitBody (): ShortMessageBody {
  const [part] = planSms('Your code is 123456.', { maxParts: 1, referenceNumber: 1 }).parts
  if (part === undefined) throw new Error('no part planned')
  return shortMessageBody({
    sourceAddrTon: 5,
    sourceAddrNpi: 0,
    sourceAddr: 'BENCH',
    destAddrTon: 1,
    destAddrNpi: 1,
    destinationAddr: '255712345678',
    esmClass: part.esmClass,
    // No receipts: this measures the bind, not the receipt path.
    registeredDelivery: 0,
    dataCoding: part.dataCoding,
    shortMessage: part.shortMessage
  })
}
