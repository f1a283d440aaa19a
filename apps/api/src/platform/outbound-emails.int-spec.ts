import { randomUUID } from 'node:crypto';
import { signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { EMAIL_MAX_ATTEMPTS, OutboundEmailEntity, OutboundEmailsService } from '@ruche/platform';
import type { OrgContext } from '@ruche/core';
import { createTestApi } from '../testing';

describe('outbound e-mails', () => {
  let t: TestApp;
  let owner: TestSession;
  let emails: OutboundEmailsService;
  let ctx: OrgContext;

  beforeAll(async () => {
    t = await createTestApi();
    owner = await signupOrganization(t, 'Courrier');
    emails = t.app.get(OutboundEmailsService);
    ctx = { organizationId: owner.orgId, userId: owner.userId, role: 'owner' };
  });
  afterAll(() => t.close());

  const input = (key: string, to = `${key}@example.org`) => ({
    to,
    subject: `Sujet ${key}`,
    html: '<p>Bonjour</p>',
    text: 'Bonjour',
    template: 'test.template',
    idempotencyKey: key,
    attachments: [
      {
        filename: 'note.txt',
        contentType: 'text/plain',
        contentBase64: Buffer.from('pièce jointe').toString('base64'),
      },
    ],
  });

  it('records one row per idempotency key and sends it once, with its attachment', async () => {
    const key = `k-${randomUUID()}`;
    const first = await t.dataSource.transaction((tx) => emails.queueEmail(ctx, input(key), tx));
    const second = await t.dataSource.transaction((tx) => emails.queueEmail(ctx, input(key), tx));
    expect(second).toBe(first);
    await emails.dispatch(ctx.organizationId, first);
    await emails.dispatch(ctx.organizationId, first);
    await t.queue.drain();
    await emails.send(ctx.organizationId, first);
    const received = t.smtp.to(`${key}@example.org`);
    expect(received).toHaveLength(1);
    expect(received[0].attachments[0].content.toString()).toBe('pièce jointe');
    const row = await t.dataSource
      .getRepository(OutboundEmailEntity)
      .findOneByOrFail({ id: first });
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('retries after a temporary SMTP failure, recording the attempts and the last error', async () => {
    const key = `retry-${randomUUID()}`;
    t.smtp.failNext = 2;
    const id = await t.dataSource.transaction((tx) => emails.queueEmail(ctx, input(key), tx));
    await emails.dispatch(ctx.organizationId, id);
    await t.smtp.waitFor((m) => m.to.includes(`${key}@example.org`));
    await t.queue.drain();
    const row = await t.dataSource.getRepository(OutboundEmailEntity).findOneByOrFail({ id });
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(3);
    expect(t.smtp.to(`${key}@example.org`)).toHaveLength(1);
  });

  it('re-dispatches e-mails left pending (crash between commit and enqueue) on the sweep', async () => {
    const key = `sweep-${randomUUID()}`;
    await t.dataSource.transaction((tx) => emails.queueEmail(ctx, input(key), tx));
    // No dispatch: the sweep must find it. The row's created_at has microseconds and the sweep's
    // cutoff milliseconds, so let the clock pass the row's millisecond before a 0 ms cutoff.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const swept = await emails.sweepPending(0);
    expect(swept).toBeGreaterThanOrEqual(1);
    await t.smtp.waitFor((m) => m.to.includes(`${key}@example.org`));
  });

  it('fails an e-mail for good after its last attempt (queue retries, then sweeps), and a resend still sends it', async () => {
    const key = `dead-${randomUUID()}`;
    t.smtp.failNext = EMAIL_MAX_ATTEMPTS;
    const id = await t.dataSource.transaction((tx) => emails.queueEmail(ctx, input(key), tx));
    const row = () => t.dataSource.getRepository(OutboundEmailEntity).findOneByOrFail({ id });
    await emails.dispatch(ctx.organizationId, id);
    await t.queue.drain();
    // Each job round stops at the queue's retries; only a sweep starts the next round.
    for (let round = 0; round < 10 && (await row()).status === 'pending'; round++) {
      await emails.sweepPending(0);
      await t.queue.drain();
    }
    expect(await row()).toMatchObject({ status: 'failed', attempts: EMAIL_MAX_ATTEMPTS });
    expect(t.smtp.failNext).toBe(0);
    expect(t.smtp.to(`${key}@example.org`)).toHaveLength(0);
    // A failed e-mail is not swept again...
    await emails.sweepPending(0);
    await t.queue.drain();
    expect((await row()).attempts).toBe(EMAIL_MAX_ATTEMPTS);
    // ...but the admin's resend sends it.
    await owner.post(`/api/v1/orgs/${owner.orgId}/emails/${id}/resend`).expect(202);
    await t.smtp.waitFor((m) => m.to.includes(`${key}@example.org`));
    await t.queue.drain();
    expect(await row()).toMatchObject({ status: 'sent' });
    expect(t.smtp.to(`${key}@example.org`)).toHaveLength(1);
  });

  it('never shows or sends another organization e-mail', async () => {
    const other = await signupOrganization(t, 'Autre courrier');
    const key = `private-${randomUUID()}`;
    const id = await t.dataSource.transaction((tx) => emails.queueEmail(ctx, input(key), tx));
    const list = await other.get(`/api/v1/orgs/${other.orgId}/emails`).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
    await other.post(`/api/v1/orgs/${other.orgId}/emails/${id}/resend`).expect(404);
    await emails.send(other.orgId, id);
    const row = await t.dataSource.getRepository(OutboundEmailEntity).findOneByOrFail({ id });
    expect(row.organizationId).toBe(owner.orgId);
    await owner.get(`/api/v1/orgs/${owner.orgId}/emails`).expect(200);
  });
});
