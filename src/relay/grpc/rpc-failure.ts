import { status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js'
import type { RelayRpcMethod } from '../../domain/relay-diagnostics-channels.ts'
import { publishRpcOutcome } from '../relay-diagnostics.ts'

// How the vault's RPCs fail (relay-wire.md §4): a status code and a details string, no message.
// The app shows the details verbatim, so they are the contract's texts; anything unforeseen is the
// catch-all INTERNAL text and never an unhandled error (the service keeps running).

export const INTERNAL_DETAILS = 'Oops! Something went wrong. Please try again later.'
export const INVALID_TOKEN_DETAILS = 'The long-lived token is invalid. Please log in again to generate a new token.'

export class RpcFailure extends Error {
  readonly code: status
  constructor (code: status, details: string) {
    super(details)
    this.code = code
  }
}

export function missingField (field: string): RpcFailure {
  return new RpcFailure(status.INVALID_ARGUMENT, `Missing required field: ${field}`)
}

export function invalidArgument (details: string): RpcFailure {
  return new RpcFailure(status.INVALID_ARGUMENT, details)
}

/** A unary handler of grpc-js from an async function of the request; each answer is counted by `method` and status. */
export function unary<Request, Response> (method: RelayRpcMethod, handle: (request: Request) => Promise<Response>, onInternalError: (error: unknown) => void): (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => void {
  return (call, callback) => {
    handle(call.request).then(
      response => {
        publishRpcOutcome(method, status[status.OK])
        callback(null, response)
      },
      (error: unknown) => {
        if (error instanceof RpcFailure) {
          publishRpcOutcome(method, status[error.code])
          callback({ code: error.code, details: error.message })
          return
        }
        onInternalError(error)
        publishRpcOutcome(method, status[status.INTERNAL])
        callback({ code: status.INTERNAL, details: INTERNAL_DETAILS })
      }
    )
  }
}
