export { DEFAULT_LONG_DELAY_MS, DEFAULT_NORMAL_DELAY_MS, loopbackMarker, loopbackScript } from './loopback-script.ts'
export type { LoopbackDelays, LoopbackStep } from './loopback-script.ts'
