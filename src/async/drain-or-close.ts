import type { EventEmitter } from 'node:events'

/**
 * Resolves at the writable stream's next 'drain' or 'close', whichever comes first, and stops
 * listening for the other: a writer that waits for room must not wait for ever on a stream
 * that closed instead of draining.
 */
export async function drainOrClose (stream: EventEmitter): Promise<void> {
  await new Promise<void>(resolve => {
    const done = (): void => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}
