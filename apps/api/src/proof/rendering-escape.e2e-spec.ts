import fc from 'fast-check';
import request from 'supertest';
import type {
  ContactMembershipView,
  InvoiceView,
  JoinResultView,
  Page,
  PaymentView,
} from '@ruche/contracts';
import { RemindersService } from '@ruche/memberships';
import {
  FakeStripe,
  TEST_PASSWORD,
  login,
  pdfText,
  uniqueEmail,
  type ReceivedMail,
  type TestApp,
  type TestSession,
} from '@ruche/testing';
import { createTestApi } from '../testing';
import { makeReceiptsReady } from '../donations/receipts.test-support';
import { connectStripe, deliver, type StripeOrg } from '../payments/stripe.test-support';
import { IBAN } from '../reconciliation/bank.test-support';

/**
 * HTML in names: an organization, a user, a plan and contacts named with tags, scripts and
 * entities receive every e-mail that carries a name (password reset, invitation, membership
 * confirmation, fiscal receipt, member-space link) and appear on the PDFs that print one
 * (membership certificate, fiscal receipt, receipts register, cheque deposit slip, GDPR file,
 * trial balance); then a contact named with a tag and letters beyond Latin-1 gets the e-mails of
 * money and renewals (desk payment confirmation, transfer instructions, payment failed with the
 * treasurers' alert, renewal reminder) and appears on the invoice, credit note and membership
 * attestation PDFs. The HTML part shows the names escaped and holds none of their tags; the text
 * part and the PDFs show them as written, never as HTML entities.
 */

jest.setTimeout(120_000);

const SEED = process.env['FUZZ_SEED']
  ? Number(process.env['FUZZ_SEED'])
  : Math.floor(Math.random() * 2_147_483_647);

const CLASSICS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert("x")</script>',
  'Tom &amp; Jerry & Cie',
  `O'Brien "<b>gras</b>"`,
];

/** Names made of HTML's special characters and tag names, generated. */
const htmlish = fc
  .array(
    fc.constantFrom(
      '<',
      '>',
      '&',
      '"',
      "'",
      '/',
      '=',
      ' ',
      'a',
      'img',
      'svg onload=x',
      'script',
      '#x3C;',
      'amp;',
      'Zoé',
    ),
    { minLength: 3, maxLength: 12 },
  )
  .map((parts) => `<${parts.join('')}`.replace(/\s+/g, ' ').trim().slice(0, 90));

/** A tag a name could have smuggled into the HTML part (the templates themselves use h2, p, a, table). */
const TAG = /<\s*\/?\s*(script|img|svg|b|i|iframe)\b/i;

/** The reference escape: what the HTML must contain for a name to show as written. */
const escaped = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/**
 * A word wider than its table cell, with nowhere to break, is cut where the cell ends: its
 * pieces come out in order with the other cells' lines between them. Found when the word is
 * the text's pieces of at least 3 characters (the last one may be shorter), each after the
 * previous one.
 */
function inPieces(flat: string, word: string): boolean {
  let from = 0;
  let rest = word;
  while (rest.length > 0) {
    let length = rest.length;
    let at = -1;
    for (; length >= Math.min(3, rest.length); length--) {
      at = flat.indexOf(rest.slice(0, length), from);
      if (at >= 0) break;
    }
    if (at < 0) return false;
    from = at + length;
    rest = rest.slice(length);
  }
  return true;
}

describe('names with HTML: escaped in e-mails, literal in PDFs', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let owner: TestSession;
  let stripe: StripeOrg;
  const orgName = '<b>Les Amis</b> & <i>Cie</i>';
  const ownerName = '<img src=x onerror=alert("owner")>';
  const planName = '<i>Adhésion</i> & "soutien"';
  const accountLabel = '<script>alert("compte")</script>';
  /** A name with a tag, an ampersand, French quotes and letters outside Latin-1. */
  const lukasz = '<img src=x onerror=alert(1)> & « Łukasz Nguyễn »';
  let planId = '';
  const names = [...CLASSICS, ...fc.sample(htmlish, { seed: SEED, numRuns: 3 })];
  const contacts: { id: string; name: string; email: string }[] = [];
  const staff = () => `/api/v1/orgs/${owner.orgId}`;
  const today = new Date().toISOString().slice(0, 10);

  /**
   * The HTML part carries no tag from a name and shows each name escaped; the text part shows
   * the names it carries as written. Some templates print last names in capitals: compared
   * without case.
   */
  function checkMail(mail: ReceivedMail, inHtml: string[], inText: string[]): void {
    const seen = {
      subject: mail.subject,
      tag: TAG.exec(mail.html)?.[0] ?? null,
      html: inHtml.filter((n) => !mail.html.toLowerCase().includes(escaped(n).toLowerCase())),
      text: inText.filter((n) => !mail.text.toLowerCase().includes(n.toLowerCase())),
      entities: /&(lt|gt|quot|#39);/.test(mail.text),
    };
    expect(seen).toEqual({ subject: mail.subject, tag: null, html: [], text: [], entities: false });
  }

  /**
   * The PDF holds each name as written. `words`: in a table, a cell wraps (at spaces, and after
   * "/" or "-" as line breaking allows) and its lines come out between the other columns' ones,
   * so each piece of the name is looked for (a piece wider than its cell, in pieces too).
   */
  async function checkPdf(
    label: string,
    pdf: Buffer,
    shown: string[],
    mode: 'whole' | 'words' = 'whole',
  ): Promise<void> {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text } = await pdfText(pdf);
    const flat = squash(text);
    const missing = shown.filter((name) =>
      mode === 'whole'
        ? !flat.includes(squash(name))
        : name
            .split(/\s+|(?<=[/-])/)
            .some((w) => w && !flat.includes(squash(w)) && !inPieces(flat, squash(w))),
    );
    expect({ label, missing, entities: /&(lt|gt|quot|#39);/.test(text) }).toEqual({
      label,
      missing: [],
      entities: false,
    });
  }

  async function pdf(url: string): Promise<Buffer> {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: owner.cookie } });
    expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
      url,
      status: 200,
      type: 'application/pdf',
    });
    return res.rawPayload;
  }

  const mailTo = (to: string, subject: RegExp) =>
    t.smtp.waitFor((m) => m.to.includes(to) && subject.test(m.subject));

  /** Joins online with this name and pays at Checkout: the membership confirmation follows. */
  async function joinAndPay(planId: string, lastName: string, email: string): Promise<void> {
    const joined = (
      await request(t.app.getHttpServer())
        .post(`/api/v1/public/orgs/${owner.orgId}/join`)
        .send({ planId, firstName: 'Élise', lastName, email, acceptTerms: true })
        .expect(201)
    ).body as JoinResultView;
    const session = fake.sessionFor(joined.paymentId)!;
    fake.pay(session.id, { method: 'card', feeCents: 70 });
    await deliver(t, stripe, fake.event('checkout.session.completed', session)).expect(200);
  }

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await createTestApi({ env: { STRIPE_API_BASE: fake.url } });
    process.stdout.write(
      `rendering escape: seed ${SEED} (replay with FUZZ_SEED=${SEED}), names ${JSON.stringify(names)}\n`,
    );
    const email = uniqueEmail('owner');
    await request(t.app.getHttpServer())
      .post('/api/v1/auth/signup')
      .send({
        organizationName: orgName,
        name: ownerName,
        email,
        password: TEST_PASSWORD,
        locale: 'fr',
      })
      .expect(201);
    owner = await login(t, email, TEST_PASSWORD);
    await makeReceiptsReady(owner);
    stripe = await connectStripe(owner);
    const plan = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: planName,
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '30' }],
          validityKind: 'calendar_year',
        })
        .expect(201)
    ).body as { id: string };
    planId = plan.id;
    for (const [i, name] of names.entries()) {
      const contactEmail = `html${i}.${SEED}@example.org`;
      const contact = (
        await owner
          .post(`${staff()}/contacts`, {
            firstName: 'Élise',
            lastName: name,
            email: contactEmail,
            addressLine1: '4 place Bellecour',
            postalCode: '69002',
            city: 'Lyon',
            confirmNotDuplicate: true,
          })
          .expect(201)
      ).body as { id: string };
      contacts.push({ id: contact.id, name, email: contactEmail });
      await joinAndPay(plan.id, name, contactEmail);
      await owner
        .post(`${staff()}/donations`, {
          contactId: contact.id,
          amount: '40',
          method: 'cheque',
          chequeNumber: `10${i}4567`,
          receivedOn: today,
        })
        .expect(201);
    }
    await owner
      .post(`${staff()}/accounting/accounts`, { number: '606111', label: accountLabel })
      .expect(201);
    await owner
      .post(`${staff()}/accounting/entries`, {
        journal: 'OD',
        date: today,
        label: 'Achat',
        lines: [
          { account: '606111', debit: '5' },
          { account: '530', credit: '5' },
        ],
        post: true,
      })
      .expect(201);
    await t.queue.drain();
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('password reset: the user’s name escaped', async () => {
    await request(t.app.getHttpServer())
      .post('/api/v1/auth/password-reset/request')
      .send({ email: owner.email })
      .expect(202);
    checkMail(await mailTo(owner.email, /mot de passe/i), [ownerName], [ownerName]);
  });

  it('invitation: the inviter’s and the organization’s names escaped', async () => {
    const invitee = uniqueEmail('invitee');
    await owner.post(`${staff()}/invitations`, { email: invitee, role: 'treasurer' }).expect(201);
    checkMail(await mailTo(invitee, /invite/i), [ownerName, orgName], [ownerName, orgName]);
  });

  it('membership confirmation: names escaped, the attached certificate prints them as written', async () => {
    for (const c of contacts) {
      const mail = await mailTo(c.email, /adhésion/i);
      checkMail(mail, [c.name, orgName, planName], [c.name, planName]);
      const certificate = mail.attachments.find((a) => a.contentType === 'application/pdf');
      expect(certificate).toBeDefined();
      await checkPdf(`certificate of ${c.name}`, certificate!.content, [c.name, planName]);
    }
  });

  it('fiscal receipt: names escaped in the e-mail, as written in the PDF (attached and downloaded) and the register', async () => {
    const receipts = (await owner.get(`${staff()}/receipts`).expect(200)).body as {
      items: { id: string; contactId: string }[];
    };
    expect(receipts.items).toHaveLength(contacts.length);
    for (const c of contacts) {
      const mail = await mailTo(c.email, /reçu fiscal/i);
      checkMail(mail, [c.name, orgName], [c.name]);
      const attached = mail.attachments.find((a) => a.contentType === 'application/pdf');
      await checkPdf(`receipt of ${c.name} (e-mail)`, attached!.content, [c.name]);
      const receipt = receipts.items.find((r) => r.contactId === c.id)!;
      await checkPdf(`receipt of ${c.name}`, await pdf(`${staff()}/receipts/${receipt.id}/pdf`), [
        c.name,
      ]);
    }
    const register = await pdf(`${staff()}/receipts/register.pdf?year=${today.slice(0, 4)}`);
    await checkPdf(
      'receipts register',
      register,
      contacts.map((c) => c.name),
      'words',
    );
  });

  it('member-space link: the contact’s name escaped', async () => {
    for (const c of contacts) {
      await request(t.app.getHttpServer())
        .post(`/api/v1/public/orgs/${owner.orgId}/member-space/login-link`)
        .send({ email: c.email })
        .expect(202);
      checkMail(await mailTo(c.email, /espace membre/i), [c.name, orgName], [c.name]);
    }
  });

  it('cheque deposit slip, GDPR file and trial balance PDFs print the names as written', async () => {
    const cheques = (
      await owner.get(`${staff()}/payments?method=cheque&undeposited=true`).expect(200)
    ).body as {
      items: { id: string }[];
    };
    expect(cheques.items).toHaveLength(contacts.length);
    const deposit = (
      await owner
        .post(`${staff()}/cheque-deposits`, {
          paymentIds: cheques.items.map((p) => p.id),
          depositedOn: today,
        })
        .expect(201)
    ).body as { id: string };
    const slip = await pdf(`${staff()}/cheque-deposits/${deposit.id}/pdf`);
    await checkPdf(
      'deposit slip',
      slip,
      contacts.map((c) => c.name),
      'words',
    );
    for (const c of contacts)
      await checkPdf(
        `GDPR file of ${c.name}`,
        await pdf(`${staff()}/contacts/${c.id}/personal-data?format=pdf`),
        [c.name],
      );
    const years = (await owner.get(`${staff()}/accounting/fiscal-years`).expect(200)).body as {
      id: string;
    }[];
    const balance = await pdf(
      `${staff()}/accounting/reports/trial-balance?fiscalYearId=${years[0].id}&format=pdf`,
    );
    await checkPdf('trial balance', balance, [accountLabel], 'words');
  });

  /** A contact named `lukasz`, with an address (the PDFs print it). */
  async function lukaszContact(key: string): Promise<{ id: string; email: string }> {
    const email = `lukasz.${key}.${SEED}@example.org`;
    const contact = (
      await owner
        .post(`${staff()}/contacts`, {
          firstName: 'Łukasz',
          lastName: lukasz,
          email,
          addressLine1: '4 place Bellecour',
          postalCode: '69002',
          city: 'Lyon',
          confirmNotDuplicate: true,
        })
        .expect(201)
    ).body as { id: string };
    return { id: contact.id, email };
  }

  it('desk payment: the confirmation escaped, its certificate and invoice, the credit note of a refund and the attestation as written', async () => {
    const c = await lukaszContact('desk');
    const membership = (
      await owner
        .post(`${staff()}/memberships`, {
          contactId: c.id,
          planId,
          payment: { method: 'cash', paidOn: today },
        })
        .expect(201)
    ).body as ContactMembershipView;
    const mail = await mailTo(c.email, /adhésion/i);
    checkMail(mail, [lukasz, orgName, planName], [lukasz, planName]);
    const attached = mail.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(attached).toHaveLength(2); // the certificate and the invoice
    for (const [i, a] of attached.entries())
      await checkPdf(`desk confirmation attachment ${i}`, a.content, [lukasz]);

    const invoices = (await owner.get(`${staff()}/invoices?contactId=${c.id}`).expect(200))
      .body as Page<InvoiceView>;
    const invoice = invoices.items.find((i) => i.kind === 'invoice' && i.contactId === c.id);
    expect(invoice).toBeDefined();
    await checkPdf('invoice', await pdf(`${staff()}/invoices/${invoice!.id}/pdf`), [
      lukasz,
      planName,
    ]);
    const payment = invoice!.paymentId;
    await owner
      .post(`${staff()}/payments/${payment}/refunds`, { amount: '10', reason: 'Geste' })
      .expect(201);
    const notes = (await owner.get(`${staff()}/invoices?kind=credit_note`).expect(200))
      .body as Page<InvoiceView>;
    const note = notes.items.find((n) => n.creditedInvoiceId === invoice!.id);
    expect(note).toBeDefined();
    await checkPdf('credit note', await pdf(`${staff()}/invoices/${note!.id}/pdf`), [lukasz]);
    await checkPdf(
      'membership attestation',
      await pdf(`${staff()}/memberships/${membership.id}/attestation`),
      [lukasz, planName],
    );
  });

  it('invoices and attestations of the members who joined online print their names as written', async () => {
    const invoices = (await owner.get(`${staff()}/invoices?kind=invoice&limit=200`).expect(200))
      .body as Page<InvoiceView>;
    for (const c of contacts) {
      const invoice = invoices.items.find((i) => i.contactId === c.id);
      expect({ name: c.name, invoiced: Boolean(invoice) }).toEqual({
        name: c.name,
        invoiced: true,
      });
      await checkPdf(`invoice of ${c.name}`, await pdf(`${staff()}/invoices/${invoice!.id}/pdf`), [
        c.name,
      ]);
      const memberships = (await owner.get(`${staff()}/memberships?contactId=${c.id}`).expect(200))
        .body as Page<ContactMembershipView>;
      expect(memberships.items).toHaveLength(1);
      await checkPdf(
        `attestation of ${c.name}`,
        await pdf(`${staff()}/memberships/${memberships.items[0].id}/attestation`),
        [c.name],
      );
    }
  });

  it('transfer instructions: the names escaped', async () => {
    await owner
      .post(`${staff()}/bank-accounts`, {
        name: 'Compte courant',
        iban: IBAN,
        bic: 'AGRIFRPP',
        accountNumber: '5121',
        acceptTransfers: true,
      })
      .expect(201);
    const email = `lukasz.transfer.${SEED}@example.org`;
    await request(t.app.getHttpServer())
      .post(`/api/v1/public/orgs/${owner.orgId}/join`)
      .send({
        planId,
        firstName: 'Łukasz',
        lastName: lukasz,
        email,
        acceptTerms: true,
        method: 'transfer',
      })
      .expect(201);
    checkMail(await mailTo(email, /virement/i), [lukasz, orgName], [lukasz]);
  });

  it('payment failed: the payer’s notice and the treasurers’ alert escaped', async () => {
    const email = `lukasz.sepa.${SEED}@example.org`;
    const joined = (
      await request(t.app.getHttpServer())
        .post(`/api/v1/public/orgs/${owner.orgId}/join`)
        .send({
          planId,
          firstName: 'Łukasz',
          lastName: lukasz,
          email,
          acceptTerms: true,
          method: 'sepa_debit',
        })
        .expect(201)
    ).body as JoinResultView;
    const session = fake.sessionFor(joined.paymentId)!;
    const paying = fake.pay(session.id, { method: 'sepa_debit' });
    await deliver(t, stripe, fake.event('checkout.session.completed', session)).expect(200);
    const failed = fake.settleDebit(paying.paymentIntent.id, 'failed');
    await deliver(
      t,
      stripe,
      fake.event('checkout.session.async_payment_failed', failed.session!),
    ).expect(200);
    await deliver(
      t,
      stripe,
      fake.event('payment_intent.payment_failed', failed.paymentIntent),
    ).expect(200);
    await t.queue.drain();
    const payment = (await owner.get(`${staff()}/payments/${joined.paymentId}`).expect(200))
      .body as PaymentView;
    expect(payment.status).toBe('failed');
    checkMail(await mailTo(email, /n’a pas abouti/), [lukasz, orgName], [lukasz]);
    const alert = await mailTo(owner.email, /^Paiement échoué/);
    // The organization is named in the subject (and the HTML title), the payment in the body.
    checkMail(alert, [orgName, payment.label], [payment.label]);
    expect(alert.subject).toContain(orgName);
  });

  it('renewal reminder: the names escaped', async () => {
    const settings = (await owner.get(`${staff()}/membership-settings`).expect(200)).body as Record<
      string,
      unknown
    >;
    // A month's membership taken today ends in 28 to 31 days: due at 31 days before its end.
    await owner
      .put(`${staff()}/membership-settings`, {
        expiringSoonDays: settings['expiringSoonDays'],
        graceDays: settings['graceDays'],
        retentionYears: settings['retentionYears'],
        reminderOffsets: [-31],
        remindersEnabled: true,
      })
      .expect(200);
    const monthly = '<svg onload=alert(1)> « Mensuel »';
    const plan = (
      await owner
        .post(`${staff()}/membership-plans`, {
          name: monthly,
          pricingKind: 'fixed',
          tiers: [{ code: 'std', label: 'Standard', amount: '5' }],
          validityKind: 'rolling_months',
          validityMonths: 1,
        })
        .expect(201)
    ).body as { id: string };
    const c = await lukaszContact('reminder');
    await owner
      .post(`${staff()}/memberships`, {
        contactId: c.id,
        planId: plan.id,
        payment: { method: 'cash', paidOn: today, notify: false },
      })
      .expect(201);
    await t.app.get(RemindersService).sendDue();
    checkMail(await mailTo(c.email, /se termine/), [lukasz, orgName, monthly], [lukasz, monthly]);
  });
});
