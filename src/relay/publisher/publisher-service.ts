import type { UntypedServiceImplementation } from '@grpc/grpc-js'
import type { GrpcService } from '../grpc/grpc-server.ts'
import { publisherServiceDefinition } from '../grpc/publisher-proto.ts'
import { unary } from '../grpc/rpc-failure.ts'
import type { Publisher } from './publisher.ts'

// The handlers of publisher.v1.Publisher (relay-wire.md §3), one per RPC. A request grpc-js cannot
// decode, or one over the server's size bound, never reaches them (grpc-js answers it itself).

export function publisherService (publisher: Publisher, onInternalError: (error: unknown) => void): GrpcService {
  const handlers: UntypedServiceImplementation = {
    GetOAuth2AuthorizationUrl: unary('GetOAuth2AuthorizationUrl', publisher.getOAuth2AuthorizationUrl, onInternalError),
    ExchangeOAuth2CodeAndStore: unary('ExchangeOAuth2CodeAndStore', publisher.exchangeOAuth2CodeAndStore, onInternalError),
    PublishContent: unary('PublishContent', publisher.publishContent, onInternalError),
    RevokeAndDeleteOAuth2Token: unary('RevokeAndDeleteOAuth2Token', publisher.revokeAndDeleteOAuth2Token, onInternalError),
    GetPNBACode: unary('GetPNBACode', publisher.getPnbaCode, onInternalError),
    ExchangePNBACodeAndStore: unary('ExchangePNBACodeAndStore', publisher.exchangePnbaCodeAndStore, onInternalError),
    RevokeAndDeletePNBAToken: unary('RevokeAndDeletePNBAToken', publisher.revokeAndDeletePnbaToken, onInternalError)
  }
  return { definition: publisherServiceDefinition(), handlers }
}
