import { createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { decodeBase64 } from '../crypto/base64.ts'
import { SmsgwError, errorCodes } from '../errors.ts'

/** Reads a client's public key: base64 SubjectPublicKeyInfo DER, as `smsgw vault pubkey` prints it. */
export async function readPublicKeyFile (file: string): Promise<KeyObject> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new SmsgwError(errorCodes.badPublicKey, `cannot read public key file ${file}`, { cause })
  })
  const der = decodeBase64(text, `public key in ${file}`)
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' })
  } catch (cause) {
    throw new SmsgwError(errorCodes.badPublicKey, `${file} does not hold a SubjectPublicKeyInfo public key`, { cause })
  }
}
