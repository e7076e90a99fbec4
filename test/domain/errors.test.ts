import { AppError, ErrorCode, errorStatus } from '../../domain/errors';

describe('error codes', () => {
  it('give every code a 4xx or 5xx status', () => {
    for (const code of Object.values(ErrorCode)) expect(errorStatus[code]).toBeGreaterThanOrEqual(400);
  });

  it('reserve 500 for INTERNAL alone', () => {
    expect(Object.values(ErrorCode).filter((c) => errorStatus[c] === 500)).toEqual(['INTERNAL']);
  });

  it('carry their status on AppError', () => {
    expect(new AppError('INSUFFICIENT_TOKENS', 'x').status).toBe(402);
  });
});
