import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { unknownOutcomeJsonOf, type UnknownOutcome } from '../../gateway/ledger/unknown-outcomes.ts'
import { operatorGuard, type OperatorAuth } from '../operator/operator-guard.ts'
import { ProblemSchema, sendProblem } from './problem.ts'

/** What the routes need of the ledger's unknown outcomes (UnknownOutcomes). */
export interface UnknownOutcomeList {
  list: () => Promise<UnknownOutcome[]>
  resolve: (clientId: string, correlId: string) => Promise<boolean>
}

export interface UnknownOutcomeRoutesOptions {
  unknownOutcomes: UnknownOutcomeList
  /** Who may see and resolve them: operators (an operator key, or a dashboard login), never a client's key. */
  operators: OperatorAuth
}

const UnknownOutcomeSchema = Type.Object({
  'client-id': Type.String(),
  'correl-id': Type.String(),
  source: Type.String({ description: 'where the request came from: `embedded/0/<seq>` (the store\'s queue) or `<topic>/<partition>/<offset>`' }),
  'claimed-at': Type.String({ description: 'when the attempt that may have sent it claimed it (ISO-8601, UTC)' }),
  'writing-at': Type.Optional(Type.String({ description: 'when it marked the request as about to be written to the SMSC; absent for a claim of an earlier smsgw, which did not mark' }))
})

const ListSchema = Type.Object({
  'unknown-outcomes': Type.Array(UnknownOutcomeSchema, { description: 'oldest claim first' })
})

const ResolveParams = Type.Object({
  clientId: Type.String({ minLength: 1 }),
  correlId: Type.String({ minLength: 1, description: 'the request\'s correl-id (percent-encoded)' })
})

const security = [{ operatorKey: [] }]

/**
 * GET /v1/operator/unknown-outcomes and DELETE /v1/operator/unknown-outcomes/{clientId}/{correlId}:
 * the requests that may have reached the SMSC and got no status (spec §7), for operators to
 * reconcile with the SMSC's records, and to resolve (forget) once reconciled
 * (docs/delivery-guarantees.md, "Unknown outcomes").
 */
export async function unknownOutcomeRoutes (app: FastifyInstance, options: UnknownOutcomeRoutesOptions): Promise<void> {
  const { unknownOutcomes } = options
  const routes = app.withTypeProvider<TypeBoxTypeProvider>()
  // Every client's requests are listed: operators only (issue 9, item 3), never a client's key.
  app.addHook('onRequest', operatorGuard(options.operators))

  routes.get('/v1/operator/unknown-outcomes', {
    schema: {
      summary: 'Requests whose outcome is unknown',
      description: 'Requests that were about to be written to the SMSC (or were written) when their attempt died or got no answer, ' +
        'and that were not finished within `pipeline.claimTakeoverMs`. Each got no status and is never sent again: ' +
        'compare them with the SMSC\'s records of submit_sm received, then resolve them.',
      tags: ['operator'],
      security,
      response: { 200: ListSchema, 401: ProblemSchema }
    }
  }, async () => {
    const outcomes = await unknownOutcomes.list()
    return {
      'unknown-outcomes': outcomes.map(unknownOutcomeJsonOf)
    }
  })

  routes.delete('/v1/operator/unknown-outcomes/:clientId/:correlId', {
    schema: {
      summary: 'Resolve an unknown outcome',
      description: 'Forgets the unknown outcome of one request once it has been reconciled with the SMSC. ' +
        '404 when the request has none (none was ever recorded, it was resolved already, or it finished late).',
      tags: ['operator'],
      security,
      params: ResolveParams,
      response: { 204: Type.Null(), 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema }
    }
  }, async (request, reply) => {
    const { clientId, correlId } = request.params
    if (!await unknownOutcomes.resolve(clientId, correlId)) return sendProblem(reply, 404, `no unknown outcome for correl-id ${JSON.stringify(correlId)} of client ${clientId}`)
    return await reply.code(204).send(null)
  })
}
