import { createHmac, type KeyObject } from 'node:crypto'
import { sealPayload, payloadFormats } from '../../crypto/payload/index.ts'
import type { VaultKey } from '../../crypto/vault/index.ts'
import { encodeInboundSms, type InboundSms } from '../../smpp/inbound/index.ts'
import type { InboundRecord } from '../../domain/stored-inbound.ts'

/** Mixed into the owner's private key to make the duplicate-key HMAC key, so it serves nothing else. */
const DUPLICATE_KEY_LABEL = 'smsgw inbound duplicate key v1'

/** What the store keeps of `sms` for `owner`, and its duplicate key (docs/inbound-sms.md, "Embedded mode"). */
export interface SealedInbound {
  readonly record: InboundRecord
  readonly duplicateKey: string
}

/**
 * Seals `sms` for `owner` with the owner's current vault key (`key`): the inbound JSON as a v2
 * payload (RSA-OAEP or X25519 HPKE, AES-256-GCM), which only that key's private half opens.
 *
 * The duplicate key tells an SMSC's re-delivery (the same PDUs again, after a lost
 * deliver_sm_resp) from a new message: an HMAC-SHA256 over the connection, sender, recipient,
 * part count, completeness, encoding and text, keyed from the owner's private key. Keyed, so the
 * store's copy of it cannot be used to test a guessed sender and text: the key is in the vault,
 * not in the store. The received time is left out: a re-delivery arrives later.
 */
export function sealInbound (sms: InboundSms, owner: string, key: VaultKey): SealedInbound {
  const json = encodeInboundSms(sms)
  const record: InboundRecord = {
    owner,
    connection: sms.connectionId,
    // Whole seconds (truncated), as the JSON (and so the seal) has it.
    receivedAtMs: Math.floor(sms.receivedAt.getTime() / 1000) * 1000,
    parts: sms.parts,
    incomplete: sms.incomplete === true,
    sealed: sealPayload(key.publicKey, Buffer.from(json, 'utf8'), payloadFormats.v2)
  }
  const fields = [sms.connectionId, sms.sender, sms.recipient, sms.parts, sms.missingParts ?? [], sms.encoding, sms.text]
  const duplicateKey = createHmac('sha256', duplicateHmacKey(key.privateKey)).update(JSON.stringify(fields)).digest('hex')
  return { record, duplicateKey }
}

const hmacKeys = new WeakMap<KeyObject, Buffer>()

function duplicateHmacKey (privateKey: KeyObject): Buffer {
  let hmacKey = hmacKeys.get(privateKey)
  if (hmacKey === undefined) {
    hmacKey = createHmac('sha256', DUPLICATE_KEY_LABEL).update(privateKey.export({ type: 'pkcs8', format: 'der' })).digest()
    hmacKeys.set(privateKey, hmacKey)
  }
  return hmacKey
}
