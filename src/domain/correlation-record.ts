/** Which request an SMSC message id (recall-id) belongs to: the value on `correl-id` (spec §1). */
export interface CorrelationRecord {
  recallId: string
  clientId: string
  correlId: string
  /**
   * The SMSC connection that gave the id (ours): ids are unique per SMSC only, and with several
   * connections two SMSCs may both answer `1`. Absent in records of the older gateway.
   */
  connection?: string
  /** When the gateway took the request in, ms since the epoch (ours): end-to-end latency at the receipt. */
  takenInAtMs?: number
  /**
   * (ours) The SENT of this message, while it may not be out: the record is written before the
   * backend reports SENT, so a receipt finds its request after any crash, and a receipt that
   * finds this reports the SENT first unless it is known to be out (docs/delivery-guarantees.md,
   * "Receipts across crashes"). Absent once SENT is confirmed out, and in older records.
   */
  pendingSent?: PendingSent
}

/** The SENT a record's message is reported with: its recall-id as the SMSC answered it, and when. */
export interface PendingSent {
  recallId: string
  atMs: number
}

/**
 * The record key: `<connection>:<recall-id>`, or the bare recall-id the older gateway wrote
 * (spec §1), which lookups fall back to so receipts for its last messages still match.
 */
export function correlationKey (recallId: string, connection?: string): string {
  return connection === undefined ? recallId : `${connection}:${recallId}`
}

export function encodeCorrelationRecord (record: CorrelationRecord): string {
  return JSON.stringify({
    'recall-id': record.recallId,
    'client-id': record.clientId,
    'correl-id': record.correlId,
    ...(record.connection === undefined ? {} : { connection: record.connection }),
    ...(record.takenInAtMs === undefined ? {} : { 'taken-in': record.takenInAtMs }),
    ...(record.pendingSent === undefined ? {} : { 'pending-sent': { 'recall-id': record.pendingSent.recallId, at: record.pendingSent.atMs } })
  })
}

export function decodeCorrelationRecord (text: string): CorrelationRecord | null {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return null
    const fields = value as Record<string, unknown>
    const [recallId, clientId, correlId, connection, takenIn] = [fields['recall-id'], fields['client-id'], fields['correl-id'], fields.connection, fields['taken-in']]
    if (typeof recallId !== 'string' || typeof clientId !== 'string' || typeof correlId !== 'string') return null
    const pendingSent = decodePendingSent(fields['pending-sent'])
    return {
      recallId,
      clientId,
      correlId,
      ...(typeof connection === 'string' ? { connection } : {}),
      ...(typeof takenIn === 'number' && Number.isFinite(takenIn) ? { takenInAtMs: takenIn } : {}),
      ...(pendingSent === undefined ? {} : { pendingSent })
    }
  } catch {
    return null
  }
}

function decodePendingSent (value: unknown): PendingSent | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { 'recall-id': recallId, at } = value as Record<string, unknown>
  return typeof recallId === 'string' && typeof at === 'number' && Number.isFinite(at) ? { recallId, atMs: at } : undefined
}
