import type { FastifyInstance } from 'fastify'

// Spec §2: "a JSON number where a string is expected is taken as its text", exactly as written
// (12345678901234567890 and 1.50 stay so), which a parsed double cannot give back. So the
// request routes parse JSON themselves, turning every number into its source text through
// JSON.parse's source text access (Node 22+). Booleans and null stay what they are and fail
// the schema where a string is expected.

/** Parses JSON text, each number becoming a string of its source text. Throws SyntaxError for bad JSON. */
export function parseJsonNumbersAsText (text: string): unknown {
  return JSON.parse(text, numbersAsText)
}

function numbersAsText (_key: string, value: unknown, context?: { source?: string }): unknown {
  return typeof value === 'number' ? context?.source ?? String(value) : value
}

/**
 * Replaces the JSON body parser of `app` (an encapsulated context: other routes keep Fastify's)
 * with parseJsonNumbersAsText. A body that is not JSON is a 400. Keys such as `__proto__`
 * become own properties (JSON.parse defines them), and fields are only ever read by name.
 */
export function useJsonNumbersAsText (app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonNumbersAsText(body as string))
    } catch {
      // A SyntaxError, or a RangeError for nesting too deep for the stack; the text is not echoed.
      const error = Object.assign(new Error('body is not valid JSON'), { statusCode: 400 })
      done(error, undefined)
    }
  })
}
