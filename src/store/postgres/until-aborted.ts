export const ABORTED = Symbol('aborted')

/**
 * What `promise` gives, or ABORTED as soon as `signal` aborts. For node-postgres's connect(),
 * which never settles when end() interrupts it: waiting for it would hang a close.
 */
export async function untilAborted<T> (promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return ABORTED
  let stopWaiting: (() => void) | undefined
  const aborted = new Promise<typeof ABORTED>(resolve => {
    stopWaiting = () => { resolve(ABORTED) }
    signal.addEventListener('abort', stopWaiting, { once: true })
  })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    if (stopWaiting !== undefined) signal.removeEventListener('abort', stopWaiting)
  }
}
