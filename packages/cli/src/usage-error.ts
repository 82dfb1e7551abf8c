/** A mistake on the command line or in the settings: reported as one line, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
