/** One sealed request as it arrived, with where it came from and how to acknowledge it. */
export interface IncomingRequest {
  readonly value: Buffer
  /** A stream within the source whose records are committed in order, e.g. `send-sms/2`. */
  readonly stream: string
  readonly offset: bigint
  /** Makes the source forget this request and every earlier one of the same stream. */
  commit: () => Promise<void>
}

/**
 * Where requests come from: the `send-sms` topic, or the embedded queue. Iterating pulls;
 * a consumer that stops pulling stops the reading (the source buffers a bounded amount).
 */
export interface RequestSource extends AsyncIterable<IncomingRequest> {
  /** Stops the iteration; records not yet pulled stay for the next run. */
  close: () => Promise<void>
}
