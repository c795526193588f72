// Password strength (relay.md §7, relay-wire.md §4), the rules of upstream Vault
// password_validation.validate_password_strength in its order: the first failing rule's text is
// the details string the app shows verbatim. Lengths count code points and the character classes
// are Unicode's, as Python's len/islower/isupper/isdigit do (`\p{Nd}` is close to isdigit, which
// also takes a few superscript digits). Upstream's last rule, the k-anonymity lookup in a breach
// database, needs the network and belongs to the gRPC layer.

export const MIN_PASSWORD_CHARS = 8
const SPECIAL_CHARACTERS = '!@#$%^&*()_+-='

const rules: ReadonlyArray<readonly [(password: string) => boolean, string]> = [
  [password => [...password].length >= MIN_PASSWORD_CHARS, `Password must be at least ${MIN_PASSWORD_CHARS} characters long`],
  [password => /\p{Lowercase}/u.test(password), 'Password must include at least one lowercase letter (a-z)'],
  [password => /\p{Uppercase}/u.test(password), 'Password must include at least one uppercase letter (A-Z)'],
  [password => /\p{Nd}/u.test(password), 'Password must include at least one number (0-9)'],
  [password => [...password].some(character => SPECIAL_CHARACTERS.includes(character)), `Password must include at least one special character from the following set: ${SPECIAL_CHARACTERS}`]
]

/** The details text of the first rule the password breaks, or undefined when it keeps them all. */
export function passwordWeakness (password: string): string | undefined {
  return rules.find(([keeps]) => !keeps(password))?.[1]
}
