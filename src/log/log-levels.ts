/** Log levels, lowest first; `silent` turns the application log off. Pino's names. */
export const logLevels = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  silent: 'silent'
} as const

export type LogLevel = typeof logLevels[keyof typeof logLevels]
export const allowedLogLevels: readonly LogLevel[] = Object.values(logLevels)
