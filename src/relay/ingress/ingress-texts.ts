// The texts of POST /v3/publish (relay-wire.md §5.1), exactly: the phones and the app read them.
// Texts marked "ours" answer what upstream has no limit or part for.

export const ingressTexts = {
  missingText: 'Missing required field: text',
  missingSender: 'Missing required field: address or MSISDN',
  missingDate: 'Missing required field: date',
  missingDateSent: 'Missing required field: date_sent',
  invalidBase64: 'Invalid Base64-encoded payload',
  emptyPayload: 'Decoded payload is empty',
  bridgeOverHttp: 'Bridge payloads over HTTP are restricted.',
  imageTextUnparsable: 'Failed to parse image-text payload',
  segmentNotStored: 'Failed to store message segment',
  /** A JSON string body whose text is not JSON (upstream's decode_and_publish parses a str again). */
  invalidJson: 'Invalid JSON format',
  /** werkzeug's BadRequest description, which non-debug Flask gives for a body that is not JSON. */
  malformedJson: 'The browser (or proxy) sent a request that this server could not understand.',
  /** Upstream's catch-all (a non-JSON Content-Type ends there too). */
  internal: 'Oops! Something went wrong. Please try again later.',
  /** Ours: werkzeug's RequestEntityTooLarge description, for a body over the limit upstream does not have. */
  tooLarge: 'The data value transmitted exceeds the capacity limit.',
  /** Ours: a sender longer than a stored sender may be. */
  senderTooLong: 'Sender address or MSISDN is too long.',
  /** Ours: a forward without a registered gateway client's key, where relay.requireForwarderKey asks for one (401). */
  forwarderKeyRequired: 'A registered gateway client\'s forwarding key is required.',
  /** Ours: a bridge payload that did not come over HTTP (our SMPP binds); there is no bridge server. */
  noBridge: 'No bridge server is configured.'
} as const

/** The answer to a non-final image-text segment (upstream's f-string). */
export function segmentCachedText (received: number, total: number, session: number, maskedSender: string): string {
  return `Segment ${received}/${total} received and cached for session ${session} and sender ${maskedSender}.`
}
