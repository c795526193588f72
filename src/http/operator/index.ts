export { OPERATOR_COOKIE, cookieOf, operatorGuard, operatorOf } from './operator-guard.ts'
export type { OperatorAuth } from './operator-guard.ts'
export { OperatorSessions } from './operator-session.ts'
