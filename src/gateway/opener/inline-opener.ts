import type { Vault } from '../../crypto/vault/vault.ts'
import { openRequest } from '../stages/open-request.ts'
import type { PayloadOpener } from './payload-opener.ts'

/** Opens payloads on the calling thread: for small loads, tests, and machines with one core. */
export function inlineOpener (vault: Vault): PayloadOpener {
  return {
    open: async (clientId, payload) => openRequest(payload, vault.keysFor(clientId)),
    close: async () => {}
  }
}
