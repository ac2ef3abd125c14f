// Where the simulator cannot start because the Unicorn engine library is missing, the session's
// error says so; this makes sure the message also says how to get it. Pure.

export const UNICORN_INSTALL_HINT =
  'Install the Unicorn engine library: on Debian/Ubuntu `sudo apt-get install libunicorn2`, elsewhere see https://www.unicorn-engine.org/docs/.';

/** The error text, with the install hint added when it is about Unicorn and lacks one. */
export function withUnicornHint(message: string): string {
  if (!/unicorn/i.test(message)) return message;
  if (/apt-get|libunicorn2|install/i.test(message)) return message;
  return `${message} ${UNICORN_INSTALL_HINT}`;
}

export function isUnicornProblem(message: string | null | undefined): boolean {
  return message !== null && message !== undefined && /unicorn/i.test(message);
}
