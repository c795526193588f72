import { createHash, hash as digestOnce } from 'node:crypto'

/** The purpose byte of RFC 7292 appendix B.3: the same password yields unrelated bytes per use. */
export const pkcs12KeyPurposes = { key: 1, iv: 2, mac: 3 } as const
export type Pkcs12KeyPurpose = typeof pkcs12KeyPurposes[keyof typeof pkcs12KeyPurposes]

/** Input block size v (bytes) of the digests the KDF runs on; SHA-384/512 work on 128-byte blocks. */
const blockBytesByHash: Readonly<Record<string, number>> = {
  sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128
}

/**
 * The password as PKCS#12 hashes it (RFC 7292 B.1): BMPString, big-endian, with a two-byte
 * zero terminator. PBKDF2 in PBES2 takes UTF-8 bytes instead; see pbes2.ts.
 */
export function pkcs12PasswordBytes (password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)])
}

/** `source` repeated to fill a whole number of `blockBytes` blocks (empty stays empty). */
function fillBlocks (source: Buffer, blockBytes: number): Buffer {
  const out = Buffer.alloc(blockBytes * Math.ceil(source.length / blockBytes))
  for (let i = 0; i < out.length; i++) out[i] = source[i % source.length]!
  return out
}

/**
 * RFC 7292 appendix B.2: derives `lengthBytes` bytes for a MAC key (purpose 3) or for the key
 * and IV of the legacy PKCS#12 ciphers (1 and 2). `hash` is a node:crypto digest name.
 */
export function derivePkcs12Key (
  hash: string, password: Buffer, salt: Buffer, iterations: number, purpose: Pkcs12KeyPurpose, lengthBytes: number
): Buffer {
  const v = blockBytesByHash[hash]
  if (v === undefined) throw new TypeError(`PKCS#12 KDF has no block size for '${hash}'`)
  const diversifier = Buffer.alloc(v, purpose)
  const input = Buffer.concat([fillBlocks(salt, v), fillBlocks(password, v)])
  const output: Buffer[] = []
  for (let produced = 0; produced < lengthBytes;) {
    let block = createHash(hash).update(diversifier).update(input).digest()
    // One-shot hash(): a third faster than createHash per round, which counts at 100 000 rounds.
    for (let round = 1; round < iterations; round++) block = digestOnce(hash, block, 'buffer')
    output.push(block)
    produced += block.length
    // Step 6: I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block of I, B = block repeated to v bytes.
    const b = fillBlocks(block, v)
    for (let start = 0; start < input.length; start += v) {
      let carry = 1
      for (let i = v - 1; i >= 0; i--) {
        const sum = input[start + i]! + b[i]! + carry
        input[start + i] = sum & 0xff
        carry = sum >> 8
      }
    }
  }
  return Buffer.concat(output).subarray(0, lengthBytes)
}
