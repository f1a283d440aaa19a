import request from 'supertest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addUser, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import type { LiveEvent } from '@ruche/contracts';
import { createTestApi } from '../testing';

describe('HTTP platform: health, OpenAPI, bad input, live events', () => {
  let t: TestApp;
  let owner: TestSession;

  beforeAll(async () => {
    t = await createTestApi({ env: { BODY_LIMIT_BYTES: '65536' } });
    owner = await signupOrganization(t, 'Plateforme');
  });
  afterAll(() => t.close());

  const api = () => request(t.app.getHttpServer());

  it('answers /api/health with the state of the database and the queue', async () => {
    const res = await api().get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', queue: 'up' });
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('serves the OpenAPI document with the routes and their request schemas', async () => {
    const res = await api().get('/api/docs/openapi.json').expect(200);
    expect(res.body.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('email');
    expect(res.body.paths['/api/v1/orgs/{orgId}']).toHaveProperty('put');
    await api().get('/api/docs').expect(200);
  });

  it('keeps a sane incoming request id and makes one otherwise', async () => {
    const kept = await api().get('/api/health').set('x-request-id', 'abc-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await api().get('/api/health').set('x-request-id', '<script>').expect(200);
    expect(replaced.headers['x-request-id']).not.toBe('<script>');
  });

  it.each([
    ['malformed JSON', '{"email": "a@b.c",', 'application/json', 400, 'body'],
    ['a JSON array', '[1,2,3]', 'application/json', 400, 'body'],
    ['a JSON string', '"hello"', 'application/json', 400, 'body'],
    ['wrong types', '{"email": 42, "password": true}', 'application/json', 400, 'email'],
    ['form-encoded body', 'email=a@b.c&password=x', 'application/x-www-form-urlencoded', 415, 'body'],
  ])('answers %s with a 4xx naming the field, never a 500', async (_label, body, type, status, field) => {
    const res = await api().post('/api/v1/auth/login').set('content-type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.body.requestId).toBeDefined();
  });

  it('refuses an oversized body with 413', async () => {
    const res = await api()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(100_000) }));
    expect(res.status).toBe(413);
    expect(res.body.errors[0].field).toBe('body');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await api().get('/api/v1/nothing-here').expect(404);
    expect(res.body.code).toBe('not_found');
  });

  it('sends secure headers', async () => {
    const res = await api().get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('pushes live events of the organization, and only of it, to Server-Sent Events subscribers', async () => {
    const other = await signupOrganization(t, 'Autre');
    const server = await t.app.listen(0, '127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    const received: LiveEvent[] = [];
    const req = http.get({ port, path: `/api/v1/orgs/${owner.orgId}/events`, headers: { cookie: owner.cookie, accept: 'text/event-stream' } });
    const connected = new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
    const res = await connected;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) if (line.startsWith('data: ')) received.push(JSON.parse(line.slice(6)) as LiveEvent);
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    await other.put(`/api/v1/orgs/${other.orgId}`, { name: 'Autre renommée', timeZone: 'Europe/Paris', currency: 'EUR', fiscalYearStartMonth: 1, locale: 'fr' }).expect(200);
    await owner.put(`/api/v1/orgs/${owner.orgId}`, { name: 'Plateforme renommée', timeZone: 'Europe/Paris', currency: 'EUR', fiscalYearStartMonth: 1, locale: 'fr' }).expect(200);
    const deadline = Date.now() + 2000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    req.destroy();
    expect(received).toEqual([expect.objectContaining({ type: 'organization.updated', organizationId: owner.orgId, data: { name: 'Plateforme renommée' } })]);
  });

  it('ends an open event stream when its user logs out, and the reconnect is refused', async () => {
    const coordinator = await addUser(t, owner, 'coordinator');
    const bystander = await addUser(t, owner, 'coordinator');
    const server = t.app.getHttpServer();
    if (!server.listening) await t.app.listen(0, '127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    const open = async (session: typeof coordinator) => {
      const req = http.get({ port, path: `/api/v1/orgs/${owner.orgId}/events`, headers: { cookie: session.cookie, accept: 'text/event-stream' } });
      const res = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
      expect(res.statusCode).toBe(200);
      res.resume();
      const ended = new Promise<'ended'>((resolve) => res.on('end', () => resolve('ended')));
      return { req, ended };
    };
    const mine = await open(coordinator);
    const theirs = await open(bystander);
    await coordinator.post('/api/v1/auth/logout').expect(204);
    const timeout = new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 2000));
    expect(await Promise.race([mine.ended, timeout])).toBe('ended');
    // Another user's stream stays open.
    expect(await Promise.race([theirs.ended, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 200))])).toBe('open');
    theirs.req.destroy();
    await coordinator.get(`/api/v1/orgs/${owner.orgId}/events`).expect(401);
  });

  it('refuses the event stream to another organization', async () => {
    const stranger = await signupOrganization(t, 'Espion');
    await stranger.get(`/api/v1/orgs/${owner.orgId}/events`).expect(404);
  });
});
