export { OPERATOR_COOKIE, cookieOf, operatorGuard, operatorOf } from './operator-guard.ts'
export type { OperatorAuth } from './operator-guard.ts'
export { DEFAULT_OPERATOR_SESSION_MS, OperatorSessions } from './operator-session.ts'
