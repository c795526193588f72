import { constants, diffieHellman, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto'
import { openPayload, sealPayload } from '../src/crypto/payload/index.ts'
import { keyIdOf, type VaultKey } from '../src/crypto/vault/vault-key.ts'
import { formatSmsText } from '../src/sms/sms-text.ts'
import { bestOfRounds, type Measurement } from './measure.ts'

export interface PayloadBenchResult {
  rsaCeiling: Measurement
  x25519Ceiling: Measurement
  legacy: Measurement
  v2Rsa: Measurement
  v2X25519: Measurement
}

const SAMPLE_PAYLOADS = 64
const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const

/**
 * Payload opens per second for each format on one core, next to the ceilings measured in the
 * same run: raw RSA-2048 OAEP decryptions and raw X25519 derivations with ready key objects.
 */
export function runPayloadBench (budgetMs: number): PayloadBenchResult {
  const rsaKey = vaultKey('rsa')
  const x25519Key = vaultKey('x25519')
  const peer = generateKeyPairSync('x25519').publicKey
  const text = Buffer.from(formatSmsText({ To: '+31629845432', Sender: 'BENCH' }, 'Your code is 123456. It expires in 10 minutes.'))
  const wrapped = samples(() => publicEncrypt({ key: rsaKey.publicKey, ...OAEP }, randomBytes(32)))
  const legacy = samples(() => sealPayload(rsaKey.publicKey, text, 'legacy'))
  const v2Rsa = samples(() => sealPayload(rsaKey.publicKey, text, 'v2'))
  const v2X25519 = samples(() => sealPayload(x25519Key.publicKey, text, 'v2'))
  const [rsaCeiling, x25519Ceiling, legacyOpen, v2RsaOpen, v2X25519Open] = bestOfRounds([
    { name: 'raw RSA-2048 OAEP decrypt (ceiling)', operation: i => privateDecrypt({ key: rsaKey.privateKey, ...OAEP }, pick(wrapped, i)) },
    { name: 'raw X25519 derive (ceiling)', operation: () => diffieHellman({ privateKey: x25519Key.privateKey, publicKey: peer }) },
    { name: 'open legacy ENC, RSA-2048', operation: i => openPayload(pick(legacy, i), [rsaKey]) },
    { name: 'open v2, RSA-2048 + AES-256-GCM', operation: i => openPayload(pick(v2Rsa, i), [rsaKey]) },
    { name: 'open v2, HPKE X25519 + AES-256-GCM', operation: i => openPayload(pick(v2X25519, i), [x25519Key]) }
  ], budgetMs) as [Measurement, Measurement, Measurement, Measurement, Measurement]
  return { rsaCeiling, x25519Ceiling, legacy: legacyOpen, v2Rsa: v2RsaOpen, v2X25519: v2X25519Open }
}

function samples<T> (make: () => T): T[] {
  return Array.from({ length: SAMPLE_PAYLOADS }, make)
}

function pick<T> (items: T[], index: number): T {
  return items[index % items.length] as T
}

function vaultKey (type: 'rsa' | 'x25519'): VaultKey {
  const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('x25519')
  return { alias: 'bench', type, privateKey: pair.privateKey, publicKey: pair.publicKey, keyId: keyIdOf(pair.publicKey) }
}
