/**
 * The sender as upstream's answers and logs show it (utils.obfuscate_sender_id): the first 3 and
 * the last 2 characters with a `*` for each one between; `***` for 5 characters or fewer.
 * Python counts code points, so this does too: `+237650000001` becomes `+23********01`.
 */
export function maskSender (sender: string): string {
  const characters = [...sender]
  if (characters.length <= 5) return '***'
  return `${characters.slice(0, 3).join('')}${'*'.repeat(characters.length - 5)}${characters.slice(-2).join('')}`
}
