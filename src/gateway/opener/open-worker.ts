// A worker thread that opens payloads: RSA private-key operations take ~0.4 ms of CPU each,
// so the gateway spreads them over cores instead of stalling its event loop. Each worker
// holds its own copy of the vault and picks up changes to the file on its own.
import assert from 'node:assert/strict'
import { parentPort, workerData } from 'node:worker_threads'
import { Vault } from '../../crypto/vault/vault.ts'
import { openRequest, type OpenVerdict } from '../stages/open-request.ts'

export interface OpenWorkerData {
  vaultFile: string
  vaultPassword: string
  reloadIntervalMs: number
}

export interface OpenTask {
  id: number
  clientId: string
  payload: string
}

export interface OpenedTask {
  id: number
  verdict: OpenVerdict
}

const { vaultFile, vaultPassword, reloadIntervalMs } = workerData as OpenWorkerData
const vault = await Vault.load(vaultFile, vaultPassword)
vault.watch({ intervalMs: reloadIntervalMs })
const port = parentPort
// Only PayloadOpener starts this file, always as a worker: an impossible state (STYLE: node:assert), not a user's failure.
assert.ok(port !== null, 'open-worker.ts runs as a worker thread only')

// Tasks come in batches (worker-opener.ts, MAX_OPEN_BATCH). Their verdicts go back together,
// but never held longer than MAX_VERDICT_HOLD_MS: a batch of RSA opens takes several ms, and
// the first requests of a batch need not wait for the last.
const MAX_VERDICT_HOLD_MS = 2
port.on('message', (tasks: OpenTask[]) => {
  let opened: OpenedTask[] = []
  let heldSinceMs = performance.now()
  for (const task of tasks) {
    opened.push({ id: task.id, verdict: openRequest(task.payload, vault.keysFor(task.clientId)) })
    if (performance.now() - heldSinceMs >= MAX_VERDICT_HOLD_MS) {
      port.postMessage(opened)
      opened = []
      heldSinceMs = performance.now()
    }
  }
  if (opened.length > 0) port.postMessage(opened)
})
port.postMessage({ ready: true })
