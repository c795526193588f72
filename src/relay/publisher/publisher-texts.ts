import { status } from '@grpc/grpc-js'
import { RpcFailure } from '../grpc/rpc-failure.ts'
import type { PlatformProtocol } from '../payload/platforms.ts'

// The publisher's own texts (relay-wire.md §3, §4), as upstream's grpc_publisher_service.py has
// them: the app and the gateway server show them verbatim.

export const publisherTexts = {
  authorizationUrl: 'Successfully generated authorization url',
  tokenStored: 'Successfully fetched and stored token',
  tokenDeleted: 'Successfully deleted token',
  twoStepVerification: 'two-steps verification is enabled and a password is required',
  /** publisher_response of an oauth2 or pnba publication. */
  messageSent: 'Successfully sent message',
  decodingPrefix: 'Error Decoding Platform Payload',
  tokenPrefix: 'Error Fetching Access Token',
  decryptingPrefix: 'Error Decrypting Platform Payload',
  /** Ours: a payload whose earlier copy's publication was cut off while the platform was called. */
  outcomeUnknown: 'This message was received before, and whether it was published is unknown; it is not published again.'
} as const

export function publishedMessage (platform: string): string {
  return `Successfully published ${platform} message`
}

export function unsupportedPlatform (platform: string, protocol: PlatformProtocol): RpcFailure {
  return new RpcFailure(status.UNIMPLEMENTED, `The platform '${platform}' with protocol '${protocol}' is currently not supported. Please contact the developers for more information on when this platform will be implemented.`)
}

export function unsupportedServiceType (serviceType: string, platform: string): RpcFailure {
  return new RpcFailure(status.UNIMPLEMENTED, `The service type '${serviceType}' for '${platform}' is not supported. Please contact the developers for more information.`)
}

export function noPlatformForShortcode (shortcode: string): RpcFailure {
  return new RpcFailure(status.INVALID_ARGUMENT, `No platform found for shortcode '${shortcode}'.`)
}

/** A vault failure passed through with its code, its details behind the step's prefix (relay-wire.md §4). */
export function prefixed (prefix: string, error: unknown): unknown {
  return error instanceof RpcFailure ? new RpcFailure(error.code, `${prefix}: ${error.message}`) : error
}
