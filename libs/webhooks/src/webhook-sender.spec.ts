import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SendRequest, sendWebhookOnce } from './webhook-sender.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './webhook-signature.js';

const SECRET = 'unit-test-secret-0123456789';

describe('sendWebhookOnce (against a receiver on 127.0.0.1)', () => {
  let server: Server;
  let base: string;
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const code = Number(req.url?.slice(1));
        if (code === 0) return; // never answers: the sender must time out
        res.writeHead(code).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = (path: string, lastAttempt = false): SendRequest => ({
    url: `${base}/${path}`,
    secret: SECRET,
    eventId: 'evt-1',
    eventType: 'opt_out.created',
    body: '{"id":"evt-1"}',
    attemptNo: 1,
    lastAttempt,
    timeoutMs: 300,
  });

  it.each([
    ['200', false, 'delivered', false],
    ['204', true, 'delivered', false],
    ['500', false, 'pending', false],
    ['500', true, 'failed', false],
    ['429', false, 'pending', false],
    ['400', false, 'failed', true],
    ['410', false, 'failed', true],
    ['0', false, 'pending', false],
  ] as const)('HTTP %s (last attempt %s) -> %s, permanent %s', async (path, last, status, permanent) => {
    const outcome = await sendWebhookOnce(request(path, last));
    expect(outcome.status).toBe(status);
    expect(outcome.permanent).toBe(permanent);
    if (path === '0') expect(outcome.attempt.error).toMatch(/timed out after 300 ms/);
    else expect(outcome.attempt.statusCode).toBe(Number(path));
  });

  it('signs the exact body and names the event', async () => {
    await sendWebhookOnce(request('200'));
    const got = seen[seen.length - 1];
    expect(got?.body).toBe('{"id":"evt-1"}');
    expect(got?.headers['earshot-event-id']).toBe('evt-1');
    expect(verifyWebhookSignature(SECRET, got?.headers[SIGNATURE_HEADER] as string, got?.body ?? '')).toBe(true);
  });

  it('records a refused connection as a retryable error', async () => {
    const outcome = await sendWebhookOnce({ ...request('200'), url: 'http://127.0.0.1:1/' });
    expect(outcome).toMatchObject({ status: 'pending', permanent: false });
    expect(outcome.attempt.error).toBeTruthy();
  });
});
