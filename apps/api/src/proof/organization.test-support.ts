import request from 'supertest';
import { randomBytes, randomUUID } from 'node:crypto';
import { jobId } from '@ruche/platform';
import type { FakeStripe, TestApp, TestSession } from '@ruche/testing';
import { addUser } from '@ruche/testing';
import { IBAN, camt, upload } from '../reconciliation/bank.test-support';
import { makeReceiptsReady } from '../donations/receipts.test-support';
import {
  connectStripe,
  deliver,
  joinAndPay,
  type StripeOrg,
} from '../payments/stripe.test-support';

/** Real ids of one organization, by path parameter name (":contactId"...), to aim requests at things that exist. */
export type SeededIds = Record<string, string[]>;

type Json = Record<string, unknown>;

async function expectStatus(test: request.Test, status: number, what: string): Promise<Json> {
  const res = await test;
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Json;
}

const idOf = (body: Json): string => {
  const id = body['id'] ?? (body['contact'] as Json | undefined)?.['id'];
  if (typeof id !== 'string') throw new Error(`No id in ${JSON.stringify(body)}`);
  return id;
};

/** Sends a file as the raw body, as the admin does. */
export function sendFile(
  t: TestApp,
  session: TestSession,
  url: string,
  bytes: Buffer,
  contentType: string,
  fileName?: string,
): request.Test {
  let test = request(t.app.getHttpServer())
    .post(url)
    .set('cookie', session.cookie)
    .set('x-csrf-token', session.csrf)
    .set('content-type', contentType);
  if (fileName !== undefined) test = test.set('x-file-name', fileName);
  return test.send(bytes);
}

/**
 * An organization with one of everything the API has routes for: contacts, household, tag,
 * custom field, saved filter, plan, membership, campaign, gifts, receipts, payments, entries and
 * an attachment, bank account with a statement, rule, run, cheque deposit, invitation, second
 * user, import, webhook endpoint, invoice, reconciliation match, received Stripe event, failed
 * job, Stripe connected; with the fake Stripe, a card payment, its payout and a Stripe history
 * sync too. Returns the ids by path parameter name.
 */
export async function seedOrganization(
  t: TestApp,
  owner: TestSession,
  fake?: FakeStripe,
): Promise<{ ids: SeededIds; stripe: StripeOrg; memberEmail: string }> {
  const staff = `/api/v1/orgs/${owner.orgId}`;
  const ids: SeededIds = {};
  const add = (name: string, id: string) => (ids[name] ??= []).push(id);
  const post = (url: string, body: object, status = 201) =>
    expectStatus(owner.post(`${staff}${url}`, body), status, `POST ${url}`);
  const get = (url: string) => expectStatus(owner.get(`${staff}${url}`), 200, `GET ${url}`);

  await makeReceiptsReady(owner);
  const stripe = await connectStripe(owner);

  const tag = await post('/tags', { name: 'Bénévoles', color: '#2f855a' });
  add('tagId', idOf(tag));
  add(
    'fieldId',
    idOf(
      await post('/custom-fields', {
        key: 'taille',
        label: 'Taille',
        type: 'choice',
        options: ['S', 'M', 'L'],
      }),
    ),
  );
  add(
    'filterId',
    idOf(await post('/saved-filters', { name: 'Lyonnais', filter: { city: 'Lyon' } })),
  );
  const anne = idOf(
    await post('/contacts', {
      firstName: 'Anne',
      lastName: 'Martin',
      email: 'anne.martin@example.org',
      addressLine1: '4 place Bellecour',
      postalCode: '69002',
      city: 'Lyon',
      tagIds: [idOf(tag)],
    }),
  );
  const paul = idOf(
    await post('/contacts', {
      firstName: 'Paul',
      lastName: 'Martin',
      email: 'paul.martin@example.org',
    }),
  );
  add('contactId', anne);
  add('contactId', paul);
  add(
    'householdId',
    idOf(
      await post('/households', {
        name: 'Famille Martin',
        memberIds: [anne, paul],
        payerContactId: anne,
      }),
    ),
  );

  const plan = idOf(
    await post('/membership-plans', {
      name: 'Adhésion annuelle',
      pricingKind: 'fixed',
      tiers: [{ code: 'std', label: 'Standard', amount: '30' }],
      validityKind: 'calendar_year',
    }),
  );
  add('planId', plan);
  const today = new Date().toISOString().slice(0, 10);
  add(
    'membershipId',
    idOf(
      await post('/memberships', {
        contactId: anne,
        planId: plan,
        payment: { method: 'cheque', paidOn: today, reference: 'CHQ 1234567' },
      }),
    ),
  );

  // The member whose space is opened: kept out of the ids, so that no generated request erases or merges her.
  const memberEmail = 'ines.garnier@example.org';
  const ines = idOf(
    await post('/contacts', { firstName: 'Inès', lastName: 'Garnier', email: memberEmail }),
  );
  await post('/memberships', {
    contactId: ines,
    planId: plan,
    payment: { method: 'cash', paidOn: today },
  });

  add(
    'campaignId',
    idOf(await post('/donation-campaigns', { name: 'Nouveau chenil', goal: '5000' })),
  );
  const donation = await post('/donations', {
    contactId: anne,
    amount: '120,50',
    method: 'cheque',
    chequeNumber: '0012345',
    receivedOn: today,
  });
  add('donationId', idOf(donation));
  await t.queue.drain();
  const receipts = (await get('/receipts')) as { items: Json[] };
  for (const r of receipts.items) add('receiptId', idOf(r));
  const gifts = (await get('/receipts/gifts?state=all')) as { items: Json[] };
  for (const g of gifts.items) add('giftId', idOf(g));

  const payment = await post('/payments/manual', {
    contactId: paul,
    label: 'Calendrier',
    amount: '12,50',
    method: 'cheque',
    receivedOn: today,
    chequeNumber: '7654321',
  });
  add('paymentId', idOf(payment));
  add('entryId', String(payment['entryId']));
  add(
    'depositId',
    idOf(await post('/cheque-deposits', { paymentIds: [idOf(payment)], depositedOn: today })),
  );
  const draft = idOf(
    await post('/accounting/entries', {
      journal: 'OD',
      date: today,
      label: 'Brouillon',
      lines: [
        { account: '530', debit: '20' },
        { account: '7561', credit: '20' },
      ],
      post: false,
    }),
  );
  // First: the entry with the attachment (routes name both).
  ids['entryId'].unshift(draft);
  const attachment = await expectStatus(
    sendFile(
      t,
      owner,
      `${staff}/accounting/entries/${draft}/attachments`,
      Buffer.from('%PDF-1.4\n%%EOF\n'),
      'application/pdf',
      'facture.pdf',
    ),
    201,
    'attachment',
  );
  add('attachmentId', idOf(attachment));
  const years = (await get('/accounting/fiscal-years')) as unknown as Json[];
  for (const y of years) add('fiscalYearId', idOf(y));
  ids['code'] = ['BQ', 'CA', 'OD'];
  ids['number'] = ['5121', '7561', '411'];
  ids['year'] = [String(new Date().getFullYear()), String(new Date().getFullYear() - 1)];

  const bank = idOf(
    await post('/bank-accounts', { name: 'Compte courant', iban: IBAN, accountNumber: '5121' }),
  );
  add('bankAccountId', bank);
  const imported = await expectStatus(
    upload(
      t,
      owner,
      bank,
      camt(
        [
          {
            amount: '12.50',
            cdi: 'CRDT',
            ref: 'R1',
            label: 'REMISE CHEQUES',
            day: today,
            party: 'Paul Martin',
          },
          { amount: '3.20', cdi: 'DBIT', ref: 'R2', label: 'FRAIS TENUE DE COMPTE', day: today },
        ],
        '100.00',
        '109.30',
        today,
      ),
    ),
    201,
    'statement',
  );
  const run = (imported['run'] as Json | null | undefined)?.['id'];
  if (typeof run === 'string') add('runId', run);
  else add('runId', idOf(await post(`/bank-accounts/${bank}/reconciliation/runs`, {})));
  const lines = (await get(`/bank-accounts/${bank}/reconciliation/lines`)) as { items: Json[] };
  for (const l of lines.items) add('lineId', idOf(l));
  // A proposal rejected for the bank fee's line (which nothing matches by itself): any ledger
  // line of the bank account will do.
  const [ledgerLine] = (await get(
    `/bank-accounts/${bank}/reconciliation/candidates?limit=1`,
  )) as unknown as { entryId: string; lineNo: number }[];
  const waiting = lines.items.find((l) => l['amountCents'] === -320);
  if (ledgerLine && waiting)
    add(
      'rejectionId',
      idOf(
        await post(`/bank-accounts/${bank}/reconciliation/lines/${idOf(waiting)}/rejections`, {
          ledgerLines: [{ entryId: ledgerLine.entryId, lineNo: ledgerLine.lineNo }],
        }),
      ),
    );
  // The bank fee, posted from its line: a reconciliation match.
  const fee = lines.items.find((l) => l['amountCents'] === -320);
  if (fee)
    add(
      'matchId',
      idOf(
        await post(`/bank-accounts/${bank}/reconciliation/entries`, {
          bankLineId: idOf(fee),
          accountNumber: '627',
          label: 'Frais bancaires',
        }),
      ),
    );
  add(
    'ruleId',
    idOf(
      await post('/reconciliation/rules', {
        name: 'Frais',
        labelContains: 'frais tenue',
        direction: 'out',
        accountNumber: '627',
        autoApply: false,
      }),
    ),
  );

  add(
    'invitationId',
    idOf(await post('/invitations', { email: 'invitee@example.org', role: 'treasurer' })),
  );
  const admin = await addUser(t, owner, 'admin');
  add('userId', admin.userId);
  const csv = Buffer.from('Nom;Prénom;E-mail\r\nDurand;Léa;lea@example.org\r\n', 'utf8');
  add(
    'importId',
    idOf(
      await expectStatus(
        sendFile(t, owner, `${staff}/imports`, csv, 'text/csv', 'contacts.csv'),
        201,
        'import',
      ),
    ),
  );
  add(
    'endpointId',
    idOf(
      await post('/webhooks/endpoints', {
        url: 'https://example.org/hook',
        events: ['entry.posted'],
      }),
    ),
  );

  // A Stripe event received and stored (ignored: a customer created).
  const eventId = `evt_${randomBytes(12).toString('hex')}`;
  await expectStatus(
    deliver(t, stripe, {
      id: eventId,
      object: 'event',
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: `cus_${randomBytes(8).toString('hex')}`, object: 'customer' } },
    }),
    200,
    'stripe event',
  );
  add('eventId', eventId);
  if (fake) {
    // A card payment, paid out to the bank, and the Stripe history of the year asked for.
    const paid = await joinAndPay(t, fake, stripe);
    const payout = fake.payout(fake.accountOf(paid.stripe!.checkoutSessionId!));
    await expectStatus(deliver(t, stripe, fake.event('payout.paid', payout)), 200, 'payout');
    add(
      'syncId',
      idOf(await post('/stripe-syncs', { from: `${today.slice(0, 4)}-01-01`, to: today }, 202)),
    );
  }
  // A job that failed for good (its delivery does not exist), kept for the admin to retry.
  await t.queue.enqueue(
    'webhooks.deliver',
    { organizationId: owner.orgId, deliveryId: randomUUID() },
    { jobId: jobId('webhooks.deliver', randomUUID()) },
  );
  await t.queue.drain();
  const failed = (await get('/jobs/failed')) as unknown as Json[];
  for (const j of failed) add('jobId', idOf(j));
  if (fake) {
    const payouts = (await get('/payouts')) as { items: Json[] };
    for (const p of payouts.items) add('payoutId', idOf(p));
  }
  const invoices = (await get('/invoices')) as { items: Json[] };
  for (const i of invoices.items) add('invoiceId', idOf(i));
  const emails = (await get('/emails')) as { items?: Json[] } | Json[];
  for (const e of (Array.isArray(emails) ? emails : (emails.items ?? [])).slice(0, 3))
    add('emailId', idOf(e));
  return { ids, stripe, memberEmail };
}

/** Opens the member space of a contact with the one-time link sent by e-mail. */
export async function memberSession(
  t: TestApp,
  orgId: string,
  email: string,
): Promise<{ cookie: string; csrf: string }> {
  const space = `/api/v1/public/orgs/${orgId}/member-space`;
  const before = t.smtp.to(email).length;
  await request(t.app.getHttpServer()).post(`${space}/login-link`).send({ email }).expect(202);
  // The link, not the payment confirmation of the member's desk payment.
  const mail = await t.smtp.waitFor(
    (m) =>
      m.to.includes(email) &&
      m.text.includes('/connexion?token=') &&
      t.smtp.to(email).indexOf(m) >= before,
  );
  const token = /connexion\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error('No member space link in the e-mail');
  const res = await request(t.app.getHttpServer())
    .post(`${space}/session`)
    .send({ token })
    .expect(200);
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: (res.body as { csrfToken: string }).csrfToken };
}
