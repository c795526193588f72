// Who owns a mobile-originated SMS: the client whose number (or short code) it was sent to.
// Routing is data (config `inbound.owners`): an ordered table of clients and recipient
// prefixes, first match wins. A message no entry matches is refused (docs/inbound-sms.md).

/** One entry of `inbound.owners`: a client and the recipient prefixes it owns. */
export interface InboundOwner {
  readonly client: string
  /**
   * Compared with the recipient as the inbound JSON writes it: `+` and digits for an
   * international number, as the SMSC wrote it otherwise. `""` matches every recipient.
   */
  readonly prefixes: readonly string[]
}

/** The client owning `recipient`: the first entry with a prefix it starts with; undefined when none. */
export function ownerOf (owners: readonly InboundOwner[], recipient: string): string | undefined {
  return owners.find(owner => owner.prefixes.some(prefix => recipient.startsWith(prefix)))?.client
}
