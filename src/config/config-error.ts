import { errorCodes, SmsgwError } from '../errors.ts'
import { formatIssue } from './config-layer.ts'
import type { ConfigIssue } from './config-layer.ts'

/**
 * One error for all the problems found: code SMSGW_CONFIG, a message with one problem a line,
 * and as its cause an AggregateError holding one SmsgwError per problem.
 */
export function configError (issues: readonly ConfigIssue[]): SmsgwError {
  const lines = issues.map(formatIssue)
  const heading = `invalid configuration (${lines.length} ${lines.length === 1 ? 'problem' : 'problems'}):`
  const cause = new AggregateError(lines.map(line => new SmsgwError(errorCodes.config, line)), heading)
  return new SmsgwError(errorCodes.config, [heading, ...lines.map(line => `  ${line}`)].join('\n'), { cause })
}
