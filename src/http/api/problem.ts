import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { describeSchemaErrors, type SchemaError } from './schema-errors.ts'

// Every error answer of the API has one shape, Fastify's own plus the list of problems:
//   {"statusCode": 400, "error": "Bad Request", "message": "deadline is missing", "errors": ["deadline is missing"]}

export const ProblemSchema = Type.Object({
  statusCode: Type.Integer({ description: 'the HTTP status code again' }),
  error: Type.String({ description: 'the HTTP reason phrase' }),
  message: Type.String({ description: 'what went wrong, naming the field for bad input' }),
  errors: Type.Optional(Type.Array(Type.String(), { description: 'every problem found (400 only), one a line' }))
}, { description: 'An error' })

export type Problem = Static<typeof ProblemSchema>

/** Problems listed in `errors` at most; a batch of 500 empty objects has 2,000. */
export const MAX_LISTED_PROBLEMS = 100
const PROBLEMS_IN_MESSAGE = 3

/** The problem answer for `statusCode`; `problems` (more than one) are summed up in the message. */
export function problemOf (statusCode: number, problems: string | readonly string[]): Problem {
  const list = typeof problems === 'string' ? [problems] : problems
  const shown = list.slice(0, PROBLEMS_IN_MESSAGE).join('; ')
  const message = list.length > PROBLEMS_IN_MESSAGE ? `${shown}; and ${list.length - PROBLEMS_IN_MESSAGE} more` : shown
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(typeof problems === 'string' ? {} : { errors: list.slice(0, MAX_LISTED_PROBLEMS) })
  }
}

/** Answers with a problem; returns the reply, as an async hook or handler that answered must. */
export function sendProblem (reply: FastifyReply, statusCode: number, problems: string | readonly string[]): FastifyReply {
  return reply.code(statusCode).type('application/json; charset=utf-8').send(problemOf(statusCode, problems))
}

/**
 * The error handler of the whole app: schema violations become a 400 naming each bad field,
 * Fastify's own client errors (413 body too large, 415 media type) keep their code and message,
 * anything else is a 500 that is logged and told the client in no detail.
 */
export function handleError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error.validation !== undefined) {
    const problems = describeSchemaErrors(error.validation as Iterable<SchemaError>, error.validationContext ?? 'body')
    return sendProblem(reply, 400, problems)
  }
  const statusCode = error.statusCode ?? 500
  if (statusCode >= 400 && statusCode < 500) return sendProblem(reply, statusCode, error.message)
  request.log.error({ err: error }, 'request failed')
  return sendProblem(reply, 500, 'internal error')
}
