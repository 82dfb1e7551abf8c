import { ServerError } from './server-error';

// Errors that stay inside the server: start-up, callbacks, the store.

/** A configuration that cannot be used; the message names the file, the key and why. */
export class ConfigError extends ServerError {
  override readonly name = 'ConfigError';

  constructor(message: string) {
    super('AF_ERR_CONFIG', 500, message);
  }
}

/** Why a callback attempt got no answer. */
export type CallbackFailureKind = 'refused' | 'timeout' | 'network';

/** A callback attempt that got no answer: its address was refused, it timed out, or the network failed. */
export class CallbackFailure extends ServerError {
  override readonly name = 'CallbackFailure';

  constructor(
    readonly kind: CallbackFailureKind,
    message: string,
  ) {
    super(`AF_ERR_CALLBACK_${kind.toUpperCase()}`, 500, message);
  }
}

/** Thrown by the store when a request no longer holds its `Idempotency-Key`; nothing was written. */
export class IdempotencyKeyLost extends ServerError {
  override readonly name = 'IdempotencyKeyLost';

  constructor(key: string) {
    super('AF_ERR_IDEMPOTENCY_KEY_LOST', 500, `The Idempotency-Key ${key} is no longer held by this request`);
  }
}
