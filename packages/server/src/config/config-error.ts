/** A configuration that cannot be used; the message names the file, the key and why. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
