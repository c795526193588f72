import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'

/** The longest pause between two checks: a condition that takes long is not asked in a busy loop. */
const MAX_PAUSE_MS = 100

/**
 * The one polling helper of the tests, for what gives no event to wait on: resolves once
 * `condition` holds, checking at once and then after pauses that double from 5 ms up to 100 ms;
 * fails naming `what` when it does not hold within `timeoutMs`. Real time (performance.now), so a
 * test's mocked Date does not move its deadline.
 */
export async function eventually (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  for (let pauseMs = 5; !await condition(); pauseMs = Math.min(2 * pauseMs, MAX_PAUSE_MS)) {
    if (performance.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for: ${what}`)
    await sleep(pauseMs)
  }
}
