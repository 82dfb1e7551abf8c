import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { headersTooLarge, requestMalformed, requestTimeout, urlMalformed, urlTooLong } from '../errors/catalogue';
import type { ServerError } from '../errors/server-error';
import { wireAnswer } from '../errors/wire-answer';
import { apiErrorOf } from './fastify-errors';

/**
 * A path parameter longer than this (as sent, percent-encoded) is a 414. Well above any id or
 * service name, so that a value the spec's schemas accept is looked up (404), not refused.
 */
export const maxParamLength = 2048;

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route or hook runs (a broken
 * percent-encoding, a path parameter too long) is answered like every other error, with the
 * request's id and without echoing the URL.
 */
export function frameworkErrors(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const refusal =
      error.code === 'FST_ERR_BAD_URL'
        ? urlMalformed()
        : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? urlTooLong(maxParamLength)
          : apiErrorOf(error, bodyLimit);
    request.log.info({ code: refusal.code }, 'request refused');
    const { statusCode, headers, body } = wireAnswer(refusal);
    // Sent as bytes: Fastify adds `; charset=utf-8` to text, and the router's errors skip the onSend
    // hook that keeps the media type as the spec declares it.
    void reply
      .code(statusCode)
      .headers(headers)
      .header('x-request-id', request.id)
      .header('content-type', 'application/json')
      .send(Buffer.from(JSON.stringify(body)));
  };
}

function clientErrorOf(error: NodeJS.ErrnoException, requestTimeoutMs: number): ServerError {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return requestTimeout(requestTimeoutMs);
  if (error.code === 'HPE_HEADER_OVERFLOW') return headersTooLarge();
  return requestMalformed();
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (headers too large, a request
 * too slow, bytes that are not HTTP) never reaches Fastify, so the answer is written to the socket
 * here, in the API's shape, with a fresh request id; the connection is then closed.
 */
export function clientErrorHandler(newRequestId: () => string, requestTimeoutMs: number) {
  return function (this: { log: FastifyRequest['log'] }, error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const refusal = clientErrorOf(error, requestTimeoutMs);
    const id = newRequestId();
    this.log.info({ code: refusal.code, requestId: id, err: error }, 'request refused by the HTTP parser');
    const { statusCode, headers, body } = wireAnswer(refusal);
    const payload = JSON.stringify(body);
    const lines = [
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}`,
      'content-type: application/json',
      `content-length: ${Buffer.byteLength(payload)}`,
      `x-request-id: ${id}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'connection: close',
    ];
    if (socket.writable) socket.write(`${lines.join('\r\n')}\r\n\r\n${payload}`);
    socket.destroy();
  };
}
