// The package's public surface is exactly what openapi-generator produces from the spec.
export * from './generated/index';
