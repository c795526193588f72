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

// Tasks come in batches (worker-opener.ts, MAX_OPEN_BATCH); each verdict goes back as soon as it
// is made. Verdicts held back to go together cost the legacy requests' latency more than they
// saved: on a busy machine a worker taken off its core while holding them delays them all.
port.on('message', (tasks: OpenTask[]) => {
  for (const task of tasks) port.postMessage({ id: task.id, verdict: openRequest(task.payload, vault.keysFor(task.clientId)) } satisfies OpenedTask)
})
port.postMessage({ ready: true })
