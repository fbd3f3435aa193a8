// Typed errors for the whole server. Services throw these; one Fastify error handler (api/error-handler.ts) maps
// them to HTTP. `code` is a stable machine-readable name; MLflow routes translate it to MLflow's error_code.

export type ErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  /** MLflow's code for an operation on an entity in the wrong state (e.g. renaming a deleted experiment) */
  | 'INVALID_STATE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNPROCESSABLE_IMAGE'
  /** an uploaded model that does not load or does not fit its serving spec */
  | 'INVALID_MODEL'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

const STATUS: Record<ErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 409,
  // MLflow answers 500 here, which its client retries for minutes; the state will not change by retrying.
  INVALID_STATE: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_IMAGE: 422,
  INVALID_MODEL: 422,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** extra machine-readable detail, e.g. { reason: 'pixel_limit' } */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
    this.statusCode = STATUS[code];
  }
}

export class InvalidParameter extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('INVALID_PARAMETER_VALUE', message, details);
  }
}

export class NotFound extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('RESOURCE_DOES_NOT_EXIST', message, details);
  }
}

export class AlreadyExists extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('RESOURCE_ALREADY_EXISTS', message, details);
  }
}

export class ServiceUnavailable extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('SERVICE_UNAVAILABLE', message, details);
  }
}
