import { decodeBase64AsPython } from './python-base64.ts'

// Image-text segments (relay-wire.md §5.1; upstream payload_parser.PayloadParser): an image with
// its text, too long for one SMS, sent as several. Every segment's text starts with base64 of a
// header whose first byte is 0x04: 3 bytes (indicator, session, segment number) in its first 4
// characters; segment 0 has 8 (indicator, session, segment 0, total, image length u16 LE, text
// length u16 LE) in its first 12. The rest of the text is the segment's share of the payload's
// base64, joined in segment order once all have arrived.

const INDICATOR = 0x04
const SHORT_HEADER_CHARS = 4
const LONG_HEADER_CHARS = 12
const LONG_HEADER_BYTES = 8

export interface ImageTextSegment {
  readonly session: number
  /** 0-based. */
  readonly segment: number
  /** Segment 0 only; 0 on the others. */
  readonly total: number
  /** Segment 0 only (upstream passes it on to a bridge as Image-Length). */
  readonly imageLength: number
  readonly textLength: number
  /** The segment's share of the payload text. */
  readonly content: string
}

/** Whether `text` is an image-text segment: its first 4 characters decode to 3 bytes starting 0x04 (is_it_payload). */
export function isImageTextSegment (text: string): boolean {
  if (text.length < SHORT_HEADER_CHARS) return false
  const header = decodeBase64AsPython(text.slice(0, SHORT_HEADER_CHARS))
  return header !== undefined && header.length === 3 && header[0] === INDICATOR
}

/**
 * The segment in `text` (parse_image_text_payload), or undefined where upstream answers "Failed
 * to parse image-text payload": a header that is not 3 or 8 bytes, segment 0 with a total of 0,
 * and a segment with no content after its header. As upstream, segment 0's fields are read from
 * its 12-character header, and a segment 0 with a 3-byte header has a total of 0 (it can never
 * complete its session).
 */
export function parseImageTextSegment (text: string): ImageTextSegment | undefined {
  const short = decodeBase64AsPython(text.slice(0, SHORT_HEADER_CHARS))
  if (short === undefined || short.length < 3) return undefined
  const long = short[2] === 0
  const header = long ? decodeBase64AsPython(text.slice(0, LONG_HEADER_CHARS)) : short
  const content = text.slice(long ? LONG_HEADER_CHARS : SHORT_HEADER_CHARS)
  if (header === undefined || (header.length !== 3 && header.length !== LONG_HEADER_BYTES)) return undefined
  const segment = header[2] as number
  const fields = { session: header[1] as number, segment, total: 0, imageLength: 0, textLength: 0 }
  if (header.length === LONG_HEADER_BYTES && segment === 0) {
    const total = header[3] as number
    if (total === 0) return undefined
    Object.assign(fields, { total, imageLength: header.readUInt16LE(4), textLength: header.readUInt16LE(6) })
  }
  return content === '' ? undefined : { ...fields, content }
}
