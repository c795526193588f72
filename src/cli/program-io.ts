/** What a command may touch of the outside world, so tests can run commands in-process. */
export interface ProgramIo {
  readStdin: () => Promise<Buffer>
  writeStdout: (data: string | Buffer) => Promise<void>
  /** One line to stderr, prefixed `smsgw: `. */
  warn: (line: string) => void
}
