import http, { type ClientRequestArgs } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../time/clock';
import type { Resolver } from './resolver';
import { CallbackFailure } from '../errors/catalogue';
import { AddressGuard, hostOf } from './address-guard';

/** One POST of a callback. */
export interface CallbackRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The attempt's limit, from resolving the host to the end of the answer. */
  timeoutMs: number;
  /** Aborts the attempt (the server is stopping); it then rejects with the signal's reason. */
  signal: AbortSignal;
}

/** What the receiver answered. */
export interface CallbackAnswer {
  statusCode: number;
  /** Its `Retry-After`, as sent. */
  retryAfter: string | undefined;
}

/**
 * Opens the connection of an attempt, to an address the guard has let through. Tests replace it to
 * see that refused addresses are never connected to.
 */
export type Connect = (options: ClientRequestArgs, secure: boolean) => Duplex;

/** What a {@link CallbackTransport} needs. */
export interface CallbackTransportOptions {
  resolver: Resolver;
  /** Times each attempt out. */
  clock: Clock;
  guard: AddressGuard;
  /** At most this many connections per receiver. */
  maxSockets: number;
  /** Replaces `net.connect` / `tls.connect`. */
  connect?: Connect;
}

// An answer's body is read only to free the connection for the next attempt; past this it is cut.
const answerBytesRead = 64 * 1024;

function describe(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : String(message ?? error);
}

/**
 * POSTs callbacks. The host is resolved once per attempt and the connection made to an address the
 * {@link AddressGuard} let through, by that address, so what was checked is what is connected to
 * and a second answer of the DNS (rebinding) cannot change it. Redirects are never followed: a 3xx
 * is an answer like any other.
 */
export class CallbackTransport {
  readonly #resolver: Resolver;
  readonly #clock: Clock;
  readonly #guard: AddressGuard;
  readonly #agents: { http: http.Agent; https: https.Agent };

  constructor(options: CallbackTransportOptions) {
    this.#resolver = options.resolver;
    this.#clock = options.clock;
    this.#guard = options.guard;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.#agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
    const { connect } = options;
    if (connect) {
      this.#agents.http.createConnection = (connection) => connect(connection, false);
      this.#agents.https.createConnection = (connection) => connect(connection, true);
    }
  }

  /** Sends one attempt; rejects with a {@link CallbackFailure} when there is no answer. */
  async send(request: CallbackRequest): Promise<CallbackAnswer> {
    const { signal } = request;
    const attempt = new AbortController();
    const timer = this.#clock.setTimeout(
      () => attempt.abort(new CallbackFailure('timeout', `no answer within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    const onStop = () => attempt.abort(signal.reason);
    signal.addEventListener('abort', onStop, { once: true });
    try {
      if (signal.aborted) throw signal.reason;
      const url = new URL(request.url);
      const address = await this.#addressOf(url, attempt.signal);
      return await this.#post(url, address, request, attempt.signal);
    } finally {
      this.#clock.clearTimeout(timer);
      signal.removeEventListener('abort', onStop);
    }
  }

  /** Closes the connections kept for the next attempts. */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /**
   * The address to connect to for the URL's host: the host itself when it is an address, else the
   * first address it resolves to that may be called.
   */
  async #addressOf(url: URL, signal: AbortSignal): Promise<string> {
    const host = hostOf(url);
    if (isIP(host) !== 0) {
      const refusal = this.#guard.refusal(host);
      if (refusal) throw new CallbackFailure('refused', `refused: ${refusal}`);
      return AddressGuard.connectable(host);
    }
    let addresses;
    try {
      addresses = await Promise.race([
        this.#resolver.resolve(host),
        new Promise<never>((_resolve, reject) => {
          signal.throwIfAborted();
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
      ]);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new CallbackFailure('network', `${host} could not be resolved (${describe(error)})`);
    }
    const refusals: string[] = [];
    for (const { address } of addresses) {
      const refusal = this.#guard.refusal(address);
      if (!refusal) return AddressGuard.connectable(address);
      refusals.push(refusal);
    }
    throw new CallbackFailure(
      'refused',
      `refused: ${host} resolves only to addresses not to call (${refusals.join(', ') || 'none'})`,
    );
  }

  #post(url: URL, address: string, request: CallbackRequest, signal: AbortSignal): Promise<CallbackAnswer> {
    const secure = url.protocol === 'https:';
    const host = hostOf(url);
    return new Promise((resolve, reject) => {
      const outgoing = (secure ? https : http).request({
        host: address,
        port: url.port || (secure ? 443 : 80),
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        // The name, not the address, for the receiver's virtual hosts and its certificate.
        headers: { ...request.headers, host: url.host, 'content-length': String(Buffer.byteLength(request.body)) },
        ...(secure && isIP(host) === 0 ? { servername: host } : {}),
        agent: secure ? this.#agents.https : this.#agents.http,
        signal,
      });
      outgoing.on('error', (error) => {
        if (signal.aborted) reject(signal.reason);
        else reject(new CallbackFailure('network', describe(error)));
      });
      outgoing.on('response', (answer) => {
        const settle = () => resolve({ statusCode: answer.statusCode ?? 0, retryAfter: answer.headers['retry-after'] });
        let read = 0;
        answer.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > answerBytesRead) {
            answer.destroy();
            settle();
          }
        });
        answer.on('end', settle);
        answer.on('error', () => settle());
      });
      outgoing.end(request.body);
    });
  }
}
