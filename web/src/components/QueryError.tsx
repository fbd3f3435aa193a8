import { ApiError } from '../lib/api';

/** "GET /api/v1/... answered 500: <the server's message>", or just the message for non-API errors. */
export function errorDetail(e: Error): string {
  if (!(e instanceof ApiError) || !e.endpoint) return e.message;
  return `${e.endpoint}${e.status ? ` answered ${e.status}` : ''}: ${e.message}`;
}

/** Says what failed: which panel, which endpoint, and the server's own message. */
export function QueryError(props: { what: string; error: Error }) {
  return (
    <p role="alert" className="error">
      {props.what} could not be loaded. {errorDetail(props.error)}
    </p>
  );
}
