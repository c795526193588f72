/** A value, or a promise of it: what a read returns when one store answers at once and another over the network. */
export type Awaitable<T> = T | Promise<T>
