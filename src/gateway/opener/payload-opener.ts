import type { OpenVerdict } from '../stages/open-request.ts'

/**
 * Opens a client's sealed payload into SMS text, or says which INVALID status it earns
 * (spec §5 row 9). The result holds plaintext: it stays in memory.
 */
export interface PayloadOpener {
  open: (clientId: string, payload: string) => Promise<OpenVerdict>
  close: () => Promise<void>
}
