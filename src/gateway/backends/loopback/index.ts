export { loopbackMarker, loopbackScript } from './loopback-script.ts'
export type { LoopbackDelays, LoopbackStep } from './loopback-script.ts'
