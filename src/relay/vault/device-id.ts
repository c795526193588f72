import { hmacSha256 } from '../../crypto/hmac-sha256.ts'

/**
 * The device id of relay.md §2 (upstream Vault src/device_id.py compute_device_id):
 * HMAC-SHA256(key = device secret, identifier UTF-8 ‖ raw client device-id public key). The Vault
 * stores its lowercase hex; payloads carry the 32 raw bytes. The identifier is exactly the one
 * used at login (e-mail addresses are not lower-cased).
 */
export function computeDeviceId (deviceSecret: Buffer, identifier: string, clientDeviceIdPublicKey: Buffer): Buffer {
  return hmacSha256(deviceSecret, Buffer.from(identifier, 'utf8'), clientDeviceIdPublicKey)
}
