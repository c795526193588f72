export type { Awaitable } from './awaitable.ts'
export { drainOrClose } from './drain-or-close.ts'
export { KeyedListeners } from './keyed-listeners.ts'
