/**
 * When a commit reaches the disk (SQLite `PRAGMA synchronous`, in WAL mode):
 * - `full`: every commit fsyncs the WAL before it returns. A commit survives a process kill, an
 *   OS crash and a power cut. The default: an accepted request has been answered "stored", and
 *   its client will not send it again.
 * - `normal`: commits reach the OS at once but the disk only at checkpoints. A commit survives a
 *   process kill (kill -9, a crash of smsgw); an OS crash or power cut may roll back the last
 *   ones. Faster, for a machine with a battery-backed disk or when losing the last moments of
 *   a power cut is acceptable.
 */
export const synchronousModes = { full: 'full', normal: 'normal' } as const
export type SynchronousMode = typeof synchronousModes[keyof typeof synchronousModes]
export const allowedSynchronousModes: readonly SynchronousMode[] = Object.values(synchronousModes)
