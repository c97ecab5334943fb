import { EngineError } from '../../engine/errors.ts';
import { NORMALIZE_FAILURES } from '../sources/normalizer.ts';

/**
 * The HTTP answer of every error code the edge produces, in one table. Handlers throw
 * EngineError values; the error middleware looks the status up by code (codes, not classes,
 * as everywhere in the engine). A code not listed here is a 500 unless the error says otherwise.
 */
export const HTTP_STATUS_OF: Readonly<Record<string, number>> = {
  INVALID_JSON: 400,
  FORBIDDEN_KEY: 400,
  TOO_DEEP: 400,
  INVALID_UTF8: 400,
  INVALID_FORM: 400,
  BAD_REQUEST_BODY: 400,
  BAD_QUERY: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  UNKNOWN_SOURCE: 404,
  UNKNOWN_RUN: 404,
  METHOD_NOT_ALLOWED: 405,
  APPROVAL_INVALID: 400,
  APPROVALS_LOCAL_ONLY: 403,
  APPROVAL_NOT_PENDING: 409,
  APPROVAL_CONFLICT: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // Normalizer refusals: the body is well-formed JSON that does not say what the source must say.
  ...Object.fromEntries(Object.keys(NORMALIZE_FAILURES).map((code) => [code, 422])),
  SHUTTING_DOWN: 503,
  SERVICE_UNAVAILABLE: 503,
};

/** Extra parts of an HTTP error answer, carried in EngineError.details. */
export interface HttpErrorDetails {
  /** Overrides the status from the table (used for codes that are not the edge's own). */
  status?: number;
  headers?: Record<string, string>;
  /** Merged into the `error` object of the answer (`path`, `reason`, `known`...). */
  body?: Record<string, unknown>;
  /** Close the connection after answering: the request body was not read to its end. */
  close?: boolean;
}

/** An EngineError the error middleware renders as `{ error: { code, message, ...body } }`. */
export function httpError(code: string, message: string, details: HttpErrorDetails = {}, cause?: unknown): EngineError {
  return new EngineError(code, message, { details, ...(cause === undefined ? {} : { cause }) });
}

/** Seconds a sender should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;
