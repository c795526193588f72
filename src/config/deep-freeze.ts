import type { DeepReadonly } from './deep-types.ts'

/**
 * Freezes `value` and everything reachable from it, and returns it typed read-only all the way
 * down. Only for objects this module built itself: freezing a caller's object would change it.
 */
export function deepFreeze<T> (value: T): DeepReadonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value as DeepReadonly<T>
}
