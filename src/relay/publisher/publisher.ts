import { exchangeOAuth2CodeAndStore, exchangePnbaCodeAndStore, getOAuth2AuthorizationUrl, getPnbaCode, revokeAndDeleteOAuth2Token, revokeAndDeletePnbaToken, type ExchangeOAuth2CodeAndStoreRequest, type ExchangeOAuth2CodeAndStoreResponse, type ExchangePNBACodeAndStoreRequest, type ExchangePNBACodeAndStoreResponse, type GetOAuth2AuthorizationUrlRequest, type GetOAuth2AuthorizationUrlResponse, type GetPNBACodeRequest, type RevokeAndDeleteTokenRequest, type SuccessResponse } from './account-linking.ts'
import { publishContent, type PublishContentRequest, type PublishContentResponse } from './publish-content.ts'
import { publisherParts, type PublisherOptions } from './publisher-parts.ts'

// publisher.v1.Publisher (relay-wire.md §3) as functions of its wire requests, failing with
// RpcFailure: the gRPC service serves them (publisher-service.ts), and the ingress calls
// publishContent in the same process.

export interface Publisher {
  publishContent: (request: PublishContentRequest) => Promise<PublishContentResponse>
  getOAuth2AuthorizationUrl: (request: GetOAuth2AuthorizationUrlRequest) => Promise<GetOAuth2AuthorizationUrlResponse>
  exchangeOAuth2CodeAndStore: (request: ExchangeOAuth2CodeAndStoreRequest) => Promise<ExchangeOAuth2CodeAndStoreResponse>
  revokeAndDeleteOAuth2Token: (request: RevokeAndDeleteTokenRequest) => Promise<SuccessResponse>
  getPnbaCode: (request: GetPNBACodeRequest) => Promise<SuccessResponse>
  exchangePnbaCodeAndStore: (request: ExchangePNBACodeAndStoreRequest) => Promise<ExchangePNBACodeAndStoreResponse>
  revokeAndDeletePnbaToken: (request: RevokeAndDeleteTokenRequest) => Promise<SuccessResponse>
}

export function publisherOf (options: PublisherOptions): Publisher {
  const parts = publisherParts(options)
  return {
    publishContent: async request => await publishContent(parts, request),
    getOAuth2AuthorizationUrl: async request => await getOAuth2AuthorizationUrl(parts, request),
    exchangeOAuth2CodeAndStore: async request => await exchangeOAuth2CodeAndStore(parts, request),
    revokeAndDeleteOAuth2Token: async request => await revokeAndDeleteOAuth2Token(parts, request),
    getPnbaCode: async request => await getPnbaCode(parts, request),
    exchangePnbaCodeAndStore: async request => await exchangePnbaCodeAndStore(parts, request),
    revokeAndDeletePnbaToken: async request => await revokeAndDeletePnbaToken(parts, request)
  }
}
