// The publisher as the ingress calls it: publisher.v1.Publisher/PublishContent in the wire's shape
// (relay-wire.md §3; field names as in the .proto). It resolves with the publisher's answer, or
// rejects with an RpcFailure (src/relay/grpc/rpc-failure.ts) whose message is the gRPC details
// string, which the ingress passes on to the phone as upstream's Gateway Server does. In one
// process it is the publisher's function; a publisher elsewhere would be called over gRPC.

export interface PublishContentRequest {
  /** The SMS payload exactly as received (base64). */
  readonly content: string
  /** `From` (the sender), `Date` and `Date_sent` (Unix seconds as text). */
  readonly metadata: Record<string, string>
}

export interface PublishContentResponse {
  readonly success: boolean
  readonly message: string
  readonly publisher_response: string
}

export type PublishContent = (request: PublishContentRequest) => Promise<PublishContentResponse>
