import v8 from 'node:v8'
import vm from 'node:vm'

/**
 * A full garbage collection on call, for tests that measure the heap: `global.gc` when node runs
 * with --expose-gc, else the same function switched on at run time.
 */
export function garbageCollector (): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc') as () => void
}
