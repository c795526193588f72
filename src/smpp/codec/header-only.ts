import type { PduReader } from './pdu-reader.ts'
import type { PduWriter } from './pdu-writer.ts'
import type { EmptyBody } from './pdu.ts'

// unbind (§4.2.1), unbind_resp (§4.2.2), enquire_link (§4.11.1), enquire_link_resp (§4.11.2)
// and generic_nack (§4.3.1):
//   (no body: the PDU is its 16-octet header)
// Octets after the header are a command_length error, found by the reader's end().
export function encodeHeaderOnly (_writer: PduWriter, _body: EmptyBody): void {}

export function decodeHeaderOnly (_reader: PduReader): EmptyBody {
  return {}
}
