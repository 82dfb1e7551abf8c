import type { operations } from '@autofacilitate/types';

type OperationId = keyof operations;
type ParametersOf<Id extends OperationId> = operations[Id]['parameters'];

// The body of a request or an answer of the spec, whatever its media type; `undefined` when it has none.
type ContentOf<Message> = Message extends { content: infer Content } ? Content[keyof Content] : undefined;

// What a parameter location holds; `unknown` (no constraint) where the operation has none.
type In<Location> = [NonNullable<Location>] extends [never] ? unknown : NonNullable<Location>;

// Node hands header names in lower case, whatever case the spec writes them in.
type LowerCaseKeys<Headers> = { [Name in keyof Headers as Lowercase<Name & string>]: Headers[Name] };

/**
 * The Fastify route types of an operation, from the spec's generated types: its path parameters,
 * query, headers and body, and its answer per status. A spec change the handler does not follow
 * fails the type check.
 */
export interface OperationRoute<Id extends OperationId> {
  Params: In<ParametersOf<Id>['path']>;
  Querystring: In<ParametersOf<Id>['query']>;
  Headers: LowerCaseKeys<In<ParametersOf<Id>['header']>>;
  Body: ContentOf<operations[Id]['requestBody']>;
  Reply: { [Status in keyof operations[Id]['responses']]: ContentOf<operations[Id]['responses'][Status]> };
}
