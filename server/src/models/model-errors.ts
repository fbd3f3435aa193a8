// Why a model package was refused. A malformed or hostile package (zip-slip names, symlinks, too many entries) is
// the request's fault: 400. A well-formed package whose model does not load or does not fit its spec: 422.
import { AppError, InvalidParameter } from '../util/errors.js';

export class ModelPackageError extends InvalidParameter {
  constructor(message: string, reason = 'bad_package') {
    super(message, { reason });
  }
}

export class ModelValidationError extends AppError {
  constructor(message: string, reason = 'invalid_model') {
    super('INVALID_MODEL', message, { reason });
  }
}
