import type { EmailContent } from '../payload/content.ts'
import { PlatformFailure } from './platform-adapter.ts'

// The RFC 5322 message the Gmail adapter sends (Gmail's messages.send takes it whole, base64url
// in `raw`), built from the decrypted e-mail content: the headers upstream's EmailMessage sets
// (To, From, Subject, Cc, Bcc; Gmail takes Bcc off before delivery) and a UTF-8 text/plain body.
// The fields come from an SMS, so they are checked: a CR or LF in a header field would let the
// sender add headers (or a second body) of their own; upstream's EmailMessage refuses those too.

/** The e-mail content's fields a message is made of (its tokens stay out). */
export type EmailFields = Pick<EmailContent, 'from' | 'to' | 'cc' | 'bcc' | 'subject' | 'body'>

/** RFC 2047 §2: an encoded-word is at most 75 characters. */
const ENCODED_WORD_MAX_CHARS = 75
const ENCODED_WORD_OVERHEAD_CHARS = '=?UTF-8?B??='.length
/** RFC 2045 §6.8: base64 lines of at most 76 characters. */
const BASE64_LINE_CHARS = 76
/** RFC 5322 §2.1.1: a line is at most 998 characters; longer bodies go base64. */
const MAX_LINE_CHARS = 998
// eslint-disable-next-line no-control-regex -- C0 controls and DEL are what the check looks for
const HEADER_BREAKING = /[\u0000-\u0008\u000a-\u001f\u007f]/
// eslint-disable-next-line no-control-regex -- printable ASCII and tab
const PLAIN_ASCII = /^[\u0009\u0020-\u007e]*$/

/** The message's bytes with CRLF line ends; rejects (PlatformFailure 'rejected') a header field with a line break or control character. */
export function encodeEmailMessage (fields: EmailFields): Buffer {
  const headers: Array<[string, string]> = [['To', fields.to], ['From', fields.from], ['Subject', fields.subject]]
  if (fields.cc !== '') headers.push(['Cc', fields.cc])
  if (fields.bcc !== '') headers.push(['Bcc', fields.bcc])
  for (const [name, value] of headers) {
    if (HEADER_BREAKING.test(value)) throw new PlatformFailure('rejected', `The e-mail's ${name} field may not contain line breaks or control characters.`)
  }
  if (fields.to.trim() === '') throw new PlatformFailure('rejected', "The e-mail's To field is empty.")
  const lines = headers.map(([name, value]) => `${name}: ${name === 'Subject' ? encodeHeaderText(value) : encodeAddressList(value)}`)
  const body = fields.body.replace(/\r\n|\r|\n/g, '\r\n')
  const plain = PLAIN_ASCII.test(body.replaceAll('\r\n', '')) && body.split('\r\n').every(line => line.length <= MAX_LINE_CHARS)
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset="utf-8"', `Content-Transfer-Encoding: ${plain ? '7bit' : 'base64'}`)
  const encodedBody = plain ? body : wrap(Buffer.from(body, 'utf8').toString('base64'), BASE64_LINE_CHARS).join('\r\n')
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${encodedBody}\r\n`, 'utf8')
}

/** Unstructured text (RFC 2047 §5(1)): as is when ASCII, else B encoded-words split on character boundaries, folded. */
export function encodeHeaderText (text: string): string {
  if (PLAIN_ASCII.test(text)) return text
  const maxBytes = Math.floor((ENCODED_WORD_MAX_CHARS - ENCODED_WORD_OVERHEAD_CHARS) / 4) * 3
  const words: string[] = []
  let chunk = ''
  for (const character of text) {
    if (Buffer.byteLength(chunk + character, 'utf8') > maxBytes) {
      words.push(chunk)
      chunk = ''
    }
    chunk += character
  }
  words.push(chunk)
  // Whitespace between adjacent encoded-words is dropped by readers (§6.2), so the fold adds nothing.
  return words.map(word => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join('\r\n ')
}

/**
 * An address list as the sender typed it (`a@b.org, Name <c@d.org>`): ASCII stays as is; a
 * non-ASCII display name becomes encoded-words (RFC 2047 §5(3)); a non-ASCII address is left in
 * UTF-8 (RFC 6532), which Gmail accepts.
 */
function encodeAddressList (list: string): string {
  if (PLAIN_ASCII.test(list)) return list
  return list.split(',').map(address => {
    const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(address)
    if (match === null) return address.trim()
    const [, name = '', mailbox = ''] = match
    return PLAIN_ASCII.test(name) ? `${name} <${mailbox}>` : `${encodeHeaderText(name)} <${mailbox}>`
  }).join(', ')
}

function wrap (text: string, width: number): string[] {
  const lines: string[] = []
  for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width))
  return lines
}
