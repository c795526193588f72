/**
 * The connection under a session: bytes in, bytes out. The session speaks SMPP over any
 * transport (a TCP or TLS socket in production, an in-memory pair in tests); it never touches
 * a socket itself.
 */
export interface SmppTransport {
  /** The bytes from the peer, in chunks of any size. Ends when the peer closes; throws on a connection error. */
  readonly chunks: AsyncIterable<Uint8Array>
  /**
   * Hands `bytes` to the connection. Resolves when it can take more: at once, or at 'drain' when
   * write() returned false (or when the connection closes while waiting: the bytes were handed
   * over all the same). Rejects, at the call, when the connection can no longer take bytes; a
   * rejected send wrote nothing. The session calls it once at a time.
   */
  send: (bytes: Uint8Array) => Promise<void>
  /** Ends the connection after what was sent; resolves when it is closed. */
  end: () => Promise<void>
  /** Closes the connection at once, dropping anything unsent. */
  destroy: () => void
}

/**
 * Opens a transport. The session aborts `signal` when it is closed while connecting; the
 * connector then rejects and leaves no connection open.
 */
export type SmppConnector = (signal: AbortSignal) => Promise<SmppTransport>
