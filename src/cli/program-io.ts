/** The signals that ask a long-running command to stop. */
export type StopSignal = 'SIGINT' | 'SIGTERM'

/** Where stop signals arrive: the process, in main. */
export interface StopSignalSource {
  on: (signal: StopSignal, listener: (signal: NodeJS.Signals) => void) => unknown
  off: (signal: StopSignal, listener: (signal: NodeJS.Signals) => void) => unknown
}

/**
 * What a command may touch of the outside world, so tests can run commands in-process: main
 * (src/cli/main.ts) gives the process's own, a test its captures.
 */
export interface ProgramIo {
  /** The environment: `SMSGW_*` settings (read through the config loader) and the vault password. */
  readonly env: NodeJS.ProcessEnv
  readStdin: () => Promise<Buffer>
  writeStdout: (data: string | Buffer) => Promise<void>
  /** Text for stderr as it is: commander's usage errors and help. */
  writeStderr: (text: string) => void
  /** Asks on the controlling terminal without echo; resolves to undefined when there is none. */
  promptHidden: (question: string) => Promise<string | undefined>
  readonly signals: StopSignalSource
  /** Ends the program at once with `code` (a second stop signal). */
  exit: (code: number) => void
}

/** One line to stderr, prefixed `smsgw: `. */
export function warn (io: ProgramIo, line: string): void {
  io.writeStderr(`smsgw: ${line}\n`)
}
