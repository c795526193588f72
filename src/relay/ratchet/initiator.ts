import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { agree, type GenerateKeyPair } from './dh.ts'
import { kdfRootKey } from './kdf.ts'
import type { RatchetState } from './ratchet-state.ts'

/**
 * The initiator (the app) at the end of the handshake (relay.md §3, upstream Ratchets.alice_init):
 * a fresh DHs, DHr = the server publish public key, (RK, CKs) = KDF_RK(SK, DH(DHs, DHr)). The
 * server never runs this; tests and a client of ours (`smsgw relay app`) do, with the same
 * ratchetEncrypt/ratchetDecrypt as the responder.
 */
export function initInitiatorState (sharedSecret: Buffer, serverPublishPublicKey: Buffer, generateKeyPair: GenerateKeyPair): Outcome<RatchetState> {
  const sendingKeyPair = generateKeyPair()
  const dh = agree(sendingKeyPair.privateKey, serverPublishPublicKey)
  if (dh === undefined) return fail(errorCodes.relayMalformed, 'the server publish key is not a usable X25519 public key')
  const { rootKey, chainKey } = kdfRootKey(sharedSecret, dh)
  return succeed(Object.freeze({
    sendingKeyPair,
    receivingRatchetKey: Buffer.from(serverPublishPublicKey),
    rootKey,
    sendingChainKey: chainKey,
    receivingChainKey: undefined,
    sendingMessageNumber: 0,
    receivingMessageNumber: 0,
    previousSendingChainLength: 0,
    skippedMessageKeys: Object.freeze([])
  }))
}
