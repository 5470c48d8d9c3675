import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { AuditRepository, SecurityEventRepository } from '#libs/db';
import { DomainErrorFilter } from './domain-error.filter.js';

function hostFor(): { host: ArgumentsHost; sent: () => { status: number; body: Record<string, unknown> } } {
  let status = 0;
  let body: Record<string, unknown> = {};
  const response = {
    setHeader: () => undefined,
    status(code: number) {
      status = code;
      return this;
    },
    json(value: Record<string, unknown>) {
      body = value;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({}) }) } as unknown as ArgumentsHost;
  return { host, sent: () => ({ status, body }) };
}

describe('DomainErrorFilter', () => {
  const filter = new DomainErrorFilter(4096, {} as AuditRepository, {} as SecurityEventRepository);

  it.each([
    ['a database error quoting its SQL', Object.assign(new Error('Invalid `prisma.call.findMany()` invocation: SELECT "public"."Call"."id" FROM "public"."Call" WHERE password = $1'), { code: 'P2010' })],
    ['a driver error', Object.assign(new Error('relation "Call" does not exist'), { code: '42P01', query: 'INSERT INTO "Call" VALUES ($1)' })],
    ['a thrown string', 'SELECT * FROM "User"'],
  ])('answers %s with a 500 that holds no SQL, stack or message of the error', async (_name, error) => {
    const { host, sent } = hostFor();
    await filter.catch(error, host);
    const { status, body } = sent();
    expect(status).toBe(500);
    expect(body).toEqual({ statusCode: 500, error: 'internal error', message: 'unexpected error; see the server log' });
  });

  it('names UPLOAD_MAX_BYTES only for the upload limit, and passes HTTP errors through without a stack', async () => {
    const upload = hostFor();
    await filter.catch(new PayloadTooLargeException(), upload.host);
    expect(upload.sent().body.message).toMatch(/4096 bytes \(UPLOAD_MAX_BYTES\)/);
    const bad = hostFor();
    await filter.catch(new BadRequestException('nope'), bad.host);
    expect(bad.sent().status).toBe(400);
    expect(JSON.stringify(bad.sent().body)).not.toMatch(/stack|\bat .+:\d+:\d+/);
  });
});
