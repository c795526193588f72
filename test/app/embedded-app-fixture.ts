import assert from 'node:assert/strict'
import { startEmbeddedApp, type EmbeddedApp } from '../../src/app/embedded-app.ts'
import { createLogger } from '../../src/log/logger.ts'

// The one-command app started in-process for a test, with its log captured.

/**
 * Starts the app on `dataDir` (and the store at `storeUrl`, if given) with its log captured;
 * `close` also runs when the test ends, once.
 */
export async function startApp (t: { after: (fn: () => Promise<void>) => void }, dataDir: string, storeUrl?: string): Promise<{ app: EmbeddedApp, log: string[] }> {
  const log: string[] = []
  const app = await startEmbeddedApp({
    dataDir,
    ...(storeUrl === undefined ? {} : { storeUrl }),
    httpHost: '127.0.0.1',
    httpPort: 0,
    smscPort: 0,
    log: createLogger({ level: 'debug', destination: { write: (line: string) => { log.push(line) } } }),
    // The test process's own: some tests set a setting there before they start the app.
    env: process.env
  })
  let closed = false
  const close = app.close
  const closeOnce = async (): Promise<void> => {
    if (closed) return
    closed = true
    await close()
  }
  t.after(closeOnce)
  return { app: { ...app, close: closeOnce }, log }
}

/** The public key file the demo made for `client`. */
export function demoPublicKey (app: EmbeddedApp, client: string): string {
  const file = app.demo?.publicKeys[client]
  assert.ok(file !== undefined, `the demo has a public key file for ${client}`)
  return file
}
