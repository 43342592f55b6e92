/** A 24-character token of letters and digits for request ids (uniqueness, not secrecy). */
export function randomToken(): string {
  let token = Date.now().toString(36);
  while (token.length < 24) token += Math.floor(Math.random() * 36).toString(36);
  return token.slice(0, 24);
}
