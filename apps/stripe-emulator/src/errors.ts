/**
 * Errors in Stripe's wire shape (`{ error: { type, code?, message, param? } }`) so the
 * stripe SDK maps them onto the same error classes it uses against the real API
 * (StripeInvalidRequestError, StripeIdempotencyError, StripeAPIError, …).
 */
export type StripeErrorType = 'invalid_request_error' | 'idempotency_error' | 'api_error' | 'authentication_error' | 'card_error';

export interface StripeErrorBody {
  error: { type: StripeErrorType; message: string; code?: string; param?: string; doc_url?: string };
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
    /**
     * Stripe saves an idempotent result only once the endpoint "began executing": requests
     * that fail parameter validation are not saved, so a corrected retry may reuse the key.
     */
    readonly saveIdempotent = false,
  ) {
    super(message);
  }

  toJSON(): StripeErrorBody {
    const error: StripeErrorBody['error'] = { type: this.type, message: this.message };
    if (this.code) error.code = this.code;
    if (this.param) error.param = this.param;
    if (this.code) error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replaceAll('_', '-')}`;
    return { error };
  }
}

/** 400 for a request parameter that is missing or malformed. */
export function invalidParam(param: string, message: string, code = 'parameter_invalid'): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, code, param);
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, 'parameter_missing', param);
}

/** A state conflict found while executing (e.g. refunding too much): saved for idempotent replay. */
export function stateError(message: string, code?: string, param?: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, code, param, true);
}

export function resourceMissing(kind: string, id: string, status = 404, param?: string): StripeApiError {
  return new StripeApiError(status, 'invalid_request_error', `No such ${kind}: '${id}'`, 'resource_missing', param);
}
