import { setTimeout as sleep } from 'node:timers/promises'
import { LOOPBACK_BACKEND } from '../../stages/route.ts'
import { passEveryMessage, type Backend } from '../backend.ts'
import { loopbackScript, type LoopbackDelays, type LoopbackStep } from './loopback-script.ts'

/**
 * The loop-back backend for client `test` (spec §6): plays the script the body's marker
 * selects, with its delays, and reaches no SMSC. Each request waits on its own timers, so
 * delays never hold up other requests. Replayable: it has no effect outside the gateway.
 */
export function loopbackBackend (delays: LoopbackDelays): Backend {
  return {
    name: LOOPBACK_BACKEND,
    replayable: true,
    check: passEveryMessage,
    submit: async (submission, report) => {
      const startedMs = performance.now()
      const steps = loopbackScript(submission.message.body, delays)
      for (let next = 0; next < steps.length;) {
        const first = steps[next] as LoopbackStep
        const waitMs = first.afterMs - (performance.now() - startedMs)
        if (waitMs > 0) await sleep(waitMs)
        // The steps due by now (SENT and DELIVERED at zero delays) are reported together, in
        // order: a sink that commits the writes of one turn together (the embedded store) then
        // stores them in one commit, not one each, and keeps their order.
        const dueMs = Math.max(performance.now() - startedMs, first.afterMs)
        const due: Array<Promise<void>> = []
        while (next < steps.length && (steps[next] as LoopbackStep).afterMs <= dueMs) {
          const { status, errorText } = steps[next++] as LoopbackStep
          due.push(report(errorText === undefined ? { status } : { status, errorText }))
        }
        await Promise.all(due)
      }
    },
    close: async () => {}
  }
}
