import type { UntypedServiceImplementation } from '@grpc/grpc-js'
import { MAX_INTERNAL_REQUEST_BYTES, startGrpcServer, type RelayGrpcServer, type RelayGrpcServerOptions } from '../grpc/grpc-server.ts'
import { publisherServiceDefinition } from '../grpc/publisher-proto.ts'
import { unary } from '../grpc/rpc-failure.ts'
import type { Publisher } from './publisher.ts'

// The handlers of publisher.v1.Publisher (relay-wire.md §3), one per RPC. A request grpc-js cannot
// decode, or one over the server's size bound, never reaches them (grpc-js answers it itself).

export function publisherServiceHandlers (publisher: Publisher, onInternalError: (error: unknown) => void): UntypedServiceImplementation {
  return {
    GetOAuth2AuthorizationUrl: unary('GetOAuth2AuthorizationUrl', publisher.getOAuth2AuthorizationUrl, onInternalError),
    ExchangeOAuth2CodeAndStore: unary('ExchangeOAuth2CodeAndStore', publisher.exchangeOAuth2CodeAndStore, onInternalError),
    PublishContent: unary('PublishContent', publisher.publishContent, onInternalError),
    RevokeAndDeleteOAuth2Token: unary('RevokeAndDeleteOAuth2Token', publisher.revokeAndDeleteOAuth2Token, onInternalError),
    GetPNBACode: unary('GetPNBACode', publisher.getPnbaCode, onInternalError),
    ExchangePNBACodeAndStore: unary('ExchangePNBACodeAndStore', publisher.exchangePnbaCodeAndStore, onInternalError),
    RevokeAndDeletePNBAToken: unary('RevokeAndDeletePNBAToken', publisher.revokeAndDeletePnbaToken, onInternalError)
  }
}

/**
 * publisher.v1.Publisher on its ports. Its largest request is PublishContent's: a payload of up to
 * 64 KiB in base64, as EntityInternal's DecryptPayload, so the same bound.
 */
export async function startPublisherGrpcServer (publisher: Publisher, options: RelayGrpcServerOptions): Promise<RelayGrpcServer> {
  return await startGrpcServer(publisherServiceDefinition(), publisherServiceHandlers(publisher, options.onInternalError), MAX_INTERNAL_REQUEST_BYTES, options)
}
