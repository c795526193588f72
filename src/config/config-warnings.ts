import type { Logger } from '../log/logger.ts'
import { formatIssue } from './config-layer.ts'
import type { ConfigIssue } from './config-layer.ts'

/**
 * Logs each warning of a loaded configuration (`loadConfigWithWarnings`) once, at start: the
 * key, where it came from, and what smsgw does instead. Through the process's one logger, so
 * operators find them where they find everything else.
 */
export function logConfigWarnings (log: Logger, warnings: readonly ConfigIssue[]): void {
  for (const warning of warnings) {
    log.warn({ key: warning.path, source: warning.source }, `configuration: ${formatIssue(warning)}`)
  }
}
