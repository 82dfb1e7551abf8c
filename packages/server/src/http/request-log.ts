import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One line per request at `info`, written when it is answered, with what an operator looks for
 * (method, URL, status, time, caller's address; the request id comes with the request's logger),
 * as flat fields that need no serializer. Fastify's own pair of lines costs two serialised objects
 * a request; the line of a request coming in is kept at `debug`, for chasing one that never ends.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url, remoteAddress: request.ip }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    reply.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        responseTime: reply.elapsedTime,
        remoteAddress: request.ip,
      },
      'request completed',
    );
  }
}
