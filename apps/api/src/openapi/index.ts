export { API_OPERATIONS, type ApiOperation, buildOpenApiDocument, type OpenApiDocumentOptions } from './document.ts';
export { openApiRoutes } from './routes.ts';
export * from './schemas.ts';
export { type FieldError, fieldErrors, validate, validationProblem } from './validator.ts';
