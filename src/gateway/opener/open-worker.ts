// A worker thread that opens payloads: RSA private-key operations take ~0.4 ms of CPU each,
// so the gateway spreads them over cores instead of stalling its event loop. Each worker
// holds its own copy of the vault and picks up changes to the file on its own.
import assert from 'node:assert/strict'
import { parentPort, workerData } from 'node:worker_threads'
import { Vault } from '../../crypto/vault/vault.ts'
import { openRequest } from '../stages/open-request.ts'

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

const { vaultFile, vaultPassword, reloadIntervalMs } = workerData as OpenWorkerData
const vault = await Vault.load(vaultFile, vaultPassword)
vault.watch({ intervalMs: reloadIntervalMs })
const port = parentPort
// Only PayloadOpener starts this file, always as a worker: an impossible state (STYLE: node:assert), not a user's failure.
assert.ok(port !== null, 'open-worker.ts runs as a worker thread only')

port.on('message', (task: OpenTask) => {
  port.postMessage({ id: task.id, verdict: openRequest(task.payload, vault.keysFor(task.clientId)) })
})
port.postMessage({ ready: true })
