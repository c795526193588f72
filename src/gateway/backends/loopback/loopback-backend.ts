import { setTimeout as sleep } from 'node:timers/promises'
import { LOOPBACK_BACKEND } from '../../stages/route.ts'
import { passEveryMessage, type Backend } from '../backend.ts'
import { loopbackScript, type LoopbackDelays } from './loopback-script.ts'

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
      for (const step of loopbackScript(submission.message.body, delays)) {
        const waitMs = step.afterMs - (performance.now() - startedMs)
        if (waitMs > 0) await sleep(waitMs)
        await report(step.errorText === undefined ? { status: step.status } : { status: step.status, errorText: step.errorText })
      }
    },
    close: async () => {}
  }
}
