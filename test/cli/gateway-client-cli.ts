import { asText, smsgw as runCli } from './cli-fixtures.ts'

/** A run of `smsgw` in-process, its output as text. */
export async function smsgw (argv: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const { code, stdout, stderr } = asText(await runCli(argv, {}))
  return { code, stdout, stderr }
}

/** The JSON lines a gateway-client command printed. */
export function jsonLines (text: string): unknown[] {
  return text.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as unknown)
}

/** Registers +237650000001 with the store options `where`; throws when it is refused. */
export async function addCameroonClient (where: string[]): Promise<void> {
  const added = await smsgw(['relay', 'gateway-client', 'add', '+237650000001', '--operator', 'MTN Cameroon', '--operator-code', '62401', ...where])
  if (added.code !== 0) throw new Error(added.stderr)
}
