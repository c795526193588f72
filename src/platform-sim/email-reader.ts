// Reads an RFC 5322 message of one text part, as a mail client would show it: headers unfolded
// (§2.2.3), RFC 2047 encoded-words decoded (B and Q), the body decoded by its
// Content-Transfer-Encoding. The simulated Gmail records what it was sent with it; written apart
// from the relay's encoder (src/relay/platforms/email-message.ts), so tests check one against the other.

export interface ReadEmail {
  /** Raw header values by lower-cased name, unfolded, not decoded. */
  readonly headers: Readonly<Record<string, string>>
  readonly to: string
  readonly subject: string
  readonly body: string
}

/** The message read, or undefined when it has no header block or an unreadable header line. */
export function decodeEmailMessage (raw: Buffer): ReadEmail | undefined {
  const text = raw.toString('latin1')
  const split = text.indexOf('\r\n\r\n')
  if (split < 0) return undefined
  const headers: Record<string, string> = {}
  for (const line of text.slice(0, split).replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) return undefined
    headers[line.slice(0, colon).toLowerCase()] = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8')
  }
  const bodyText = text.slice(split + 4)
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase()
  const bodyBytes = encoding === 'base64'
    ? Buffer.from(bodyText.replace(/\s+/g, ''), 'base64')
    : encoding === 'quoted-printable' ? quotedPrintable(bodyText) : Buffer.from(bodyText, 'latin1')
  return {
    headers,
    to: decodeWords(headers.to ?? ''),
    subject: decodeWords(headers.subject ?? ''),
    body: bodyBytes.toString('utf8').replace(/\r\n$/, '')
  }
}

/** RFC 2047 §6: encoded-words decoded; whitespace between two adjacent ones dropped. */
function decodeWords (value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) => {
      const bytes = kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : quotedPrintable(data.replaceAll('_', ' '))
      try {
        return new TextDecoder(charset).decode(bytes)
      } catch {
        return `=?${charset}?${kind}?${data}?=`
      }
    })
}

function quotedPrintable (text: string): Buffer {
  const bytes = text.replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1')
}
