import { describe, expect, it } from 'vitest';
import { InvalidInputError, UnauthorizedError, ForbiddenError, NotFoundError, ConflictError, TooLargeError, UnsupportedMediaError, ConfigurationError, DependencyUnavailableError, isPermanent } from '../../core/errors.ts';
import { CheckpointError } from '../../leads/checkpoints.ts';
import { statusOf } from './errors.ts';

describe('error kinds', () => {
  it('map to HTTP statuses in one place', () => {
    expect(statusOf(new InvalidInputError('validation_error', 'x'))).toBe(400);
    expect(statusOf(new UnauthorizedError('unauthorized', 'x'))).toBe(401);
    expect(statusOf(new ForbiddenError('forbidden', 'x'))).toBe(403);
    expect(statusOf(new NotFoundError('lead_not_found', 'x'))).toBe(404);
    expect(statusOf(new ConflictError('task_closed', 'x'))).toBe(409);
    expect(statusOf(new TooLargeError('file_too_large', 'x'))).toBe(413);
    expect(statusOf(new InvalidInputError('range_not_satisfiable', 'x'))).toBe(416);
    expect(statusOf(new UnsupportedMediaError('not_audio', 'x'))).toBe(422);
    expect(statusOf(new CheckpointError('proposal_read', []))).toBe(422);
    expect(statusOf(new ConfigurationError('no_model', 'x'))).toBe(500);
    expect(statusOf(new DependencyUnavailableError('queue_unavailable', 'x'))).toBe(503);
  });

  it('decide retries: only an unavailable dependency or an unknown error may heal', () => {
    expect(isPermanent(new UnsupportedMediaError('decode_failed', 'x'))).toBe(true);
    expect(isPermanent(new ConfigurationError('no_model', 'x'))).toBe(true);
    expect(isPermanent(new DependencyUnavailableError('transcribe_timeout', 'x'))).toBe(false);
    expect(isPermanent(new Error('ECONNRESET'))).toBe(false);
  });
});
