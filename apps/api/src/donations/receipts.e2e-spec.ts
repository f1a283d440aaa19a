import { createHash } from 'node:crypto';
import request from 'supertest';
import type {
  AnnualBatchView,
  ContactView,
  DonationView,
  Page,
  ReceiptDeclarationView,
  ReceiptGiftView,
  ReceiptSettingsView,
  ReceiptView,
} from '@ruche/contracts';
import { pdfText, signupOrganization, type TestApp, type TestSession } from '@ruche/testing';
import { createTestApi } from '../testing';
import { balanceOf, entryLines } from '../payments/stripe.test-support';
import { makeReceiptsReady } from './receipts.test-support';

/** Donations at the desk and their fiscal receipts (cerfa 11580 / 16216), end to end. */
describe('fiscal receipts', () => {
  let t: TestApp;
  let owner: TestSession;
  const staff = () => `/api/v1/orgs/${owner.orgId}`;
  const year = new Date().getFullYear();
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    owner = await signupOrganization(t, 'Les Amis du Refuge');
  });

  const makeReady = (settings: Record<string, unknown> = {}) => makeReceiptsReady(owner, settings);

  async function donor(
    lastName: string,
    extra: Record<string, unknown> = {},
  ): Promise<ContactView> {
    return (
      await owner
        .post(`${staff()}/contacts`, {
          firstName: 'Élise',
          lastName,
          email: `${lastName
            .normalize('NFD')
            .replace(/[^A-Za-z]/g, '')
            .toLowerCase()}.${Math.random().toString(36).slice(2, 8)}@example.org`,
          addressLine1: '4 place Bellecour',
          postalCode: '69002',
          city: 'Lyon',
          ...extra,
        })
        .expect(201)
    ).body as ContactView;
  }

  async function give(
    contactId: string,
    body: Record<string, unknown> = {},
  ): Promise<DonationView> {
    return (
      await owner
        .post(`${staff()}/donations`, {
          contactId,
          amount: '120,50',
          method: 'cheque',
          chequeNumber: '0012345',
          receivedOn: today,
          ...body,
        })
        .expect(201)
    ).body as DonationView;
  }

  async function receiptsOf(contactId: string): Promise<ReceiptView[]> {
    await t.queue.drain();
    return (
      (await owner.get(`${staff()}/receipts?contactId=${contactId}`).expect(200))
        .body as Page<ReceiptView>
    ).items;
  }

  async function pdfOf(id: string): Promise<Buffer> {
    const res = await owner
      .get(`${staff()}/receipts/${id}/pdf`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return res.body as Buffer;
  }

  it('refuses to issue while the legal identity is incomplete, lists what is missing, and consumes no number', async () => {
    const settings = (await owner.get(`${staff()}/receipts/settings`).expect(200))
      .body as ReceiptSettingsView;
    expect(settings.problems.map((p) => p.field)).toEqual(
      expect.arrayContaining([
        'enabled',
        'addressLine1',
        'siren',
        'object',
        'organismType',
        'signerName',
        'signature',
      ]),
    );
    const elise = await donor('Martin');
    const gift = await give(elise.id);
    expect(gift).toMatchObject({ status: 'paid', amountCents: 12050, receiptId: null });
    const waiting = (await owner.get(`${staff()}/receipts/gifts?state=waiting`).expect(200))
      .body as Page<ReceiptGiftView>;
    expect(waiting.items).toHaveLength(1);
    const refused = await owner
      .post(`${staff()}/receipts/gifts/${waiting.items[0].id}/issue`)
      .expect(422);
    expect(refused.body.code).toBe('receipts.settings_incomplete');
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['addressLine1', 'siren', 'signature']),
    );
    const counters = await t.dataSource.query(
      'SELECT * FROM receipt_sequences WHERE organization_id = $1',
      [owner.orgId],
    );
    expect(counters).toEqual([]);

    // Once ready, the gifts that waited are issued (number 1 for this one), and only once.
    await makeReady();
    await t.queue.drain();
    const [issued] = await receiptsOf(elise.id);
    expect(issued).toMatchObject({ reference: `${year}-000001`, amountCents: 12050 });
    await owner.post(`${staff()}/receipts/gifts/${waiting.items[0].id}/issue`).expect(409);
    expect((await owner.post(`${staff()}/receipts/gifts/retry`).expect(202)).body).toEqual({
      queued: 0,
    });
  });

  it('issues the receipt of a cheque gift with every mandatory item, emails it, and serves the stored bytes', async () => {
    await makeReady();
    const elise = await donor('Martin');
    const gift = await give(elise.id);
    const [receipt] = await receiptsOf(elise.id);
    expect(receipt).toMatchObject({
      reference: `${year}-000001`,
      model: '11580*05',
      kind: 'single',
      amountCents: 12050,
      status: 'issued',
      periodStart: today,
      lines: [
        expect.objectContaining({
          sourceKind: 'donation',
          sourceId: gift.id,
          amountCents: 12050,
          method: 'cheque',
        }),
      ],
    });
    const donation = (await owner.get(`${staff()}/donations/${gift.id}`).expect(200))
      .body as DonationView;
    expect(donation.receiptReference).toBe(receipt.reference);

    const pdf = await pdfOf(receipt.id);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(receipt.pdfSha256);
    expect((await pdfOf(receipt.id)).equals(pdf)).toBe(true);
    const { text } = await pdfText(pdf);
    for (const expected of [
      'Cerfa n° 11580*05',
      `Numéro d’ordre du reçu : ${year}-000001`,
      'Association Les Amis du Refuge',
      '12 rue des Lilas, 69003 Lyon',
      'RNA : W691234567',
      'Recueillir et soigner les animaux abandonnés',
      '☒ Œuvre ou organisme d’intérêt général',
      'MARTIN Élise',
      '4 place Bellecour, 69002 Lyon',
      '***120,50 €***',
      'cent vingt euros et cinquante centimes',
      `Date du versement ou du don : ${today.split('-').reverse().join('/')}`,
      '☒ 200 du CGI',
      '☐ 978 du CGI',
      '☒ Déclaration de don manuel',
      '☒ Numéraire',
      '☒ Chèque',
      `Fait à Lyon, le ${today.split('-').reverse().join('/')}`,
      'Claire Dubois, Trésorière',
    ])
      expect(text.replace(/\s+/g, ' ')).toContain(expected);

    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(elise.email!) && m.subject.includes(receipt.reference),
    );
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({
      filename: `recu-fiscal-${receipt.reference}.pdf`,
      contentType: 'application/pdf',
    });
    expect(mail.attachments[0].content.equals(pdf)).toBe(true);
    await t.queue.drain();
    expect(
      (await owner.get(`${staff()}/receipts/${receipt.id}`).expect(200)).body.email.status,
    ).toBe('sent');
  });

  it('prints the amount in figures and in words for the smallest and a very large gift', async () => {
    await makeReady({ sendByEmail: false });
    const elise = await donor('Montants');
    for (const [amount, figures, words] of [
      ['0,01', '***0,01 €***', 'un centime'],
      ['80', '***80,00 €***', 'quatre-vingts euros'],
      [
        '1000000,99',
        '***1 000 000,99 €***',
        "un million d'euros et quatre-vingt-dix-neuf centimes",
      ],
    ]) {
      const gift = await give(elise.id, { amount, method: 'transfer', reference: `VIR ${amount}` });
      await t.queue.drain();
      const receipt = (
        (await owner.get(`${staff()}/donations/${gift.id}`).expect(200)).body as DonationView
      ).receiptId;
      expect(receipt).not.toBeNull();
      const flat = (await pdfText(await pdfOf(receipt!))).text.replace(/\s+/g, ' ');
      expect(flat).toContain(figures);
      expect(flat).toContain(`Somme en toutes lettres : ${words}`);
    }
  });

  it('never edits or deletes an issued receipt, even in SQL', async () => {
    await makeReady();
    const elise = await donor('Petit');
    await give(elise.id);
    const [receipt] = await receiptsOf(elise.id);
    await expect(
      t.dataSource.query('UPDATE receipts SET amount_cents = 1 WHERE id = $1', [receipt.id]),
    ).rejects.toThrow(/never edited/);
    await expect(
      t.dataSource.query('DELETE FROM receipts WHERE id = $1', [receipt.id]),
    ).rejects.toThrow(/never deleted/);
    await expect(
      t.dataSource.query(
        'UPDATE receipt_sequences SET last_number = 0 WHERE organization_id = $1',
        [owner.orgId],
      ),
    ).rejects.toThrow(/only go forward/);
  });

  it('cancels a receipt and issues a corrected one with a new number that references it; the register and the declaration agree', async () => {
    await makeReady();
    const elise = await donor('Moreau');
    await give(elise.id, { amount: '80' });
    const [first] = await receiptsOf(elise.id);
    // The donor's address was wrong: fix it, then cancel and replace.
    await owner
      .put(`${staff()}/contacts/${elise.id}`, {
        firstName: 'Élise',
        lastName: 'Moreau',
        email: elise.email,
        addressLine1: '9 quai Saint-Vincent',
        postalCode: '69001',
        city: 'Lyon',
      })
      .expect(200);
    const bad = await owner
      .post(`${staff()}/receipts/${first.id}/cancel`, { reason: '' })
      .expect(400);
    expect(bad.body.errors[0].field).toBe('reason');
    const cancelled = (
      await owner
        .post(`${staff()}/receipts/${first.id}/cancel`, {
          reason: 'Adresse erronée',
          replace: true,
        })
        .expect(200)
    ).body as ReceiptView;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Adresse erronée',
      replacedByReference: `${year}-000002`,
    });
    const replacement = (
      await owner.get(`${staff()}/receipts/${cancelled.replacedById}`).expect(200)
    ).body as ReceiptView;
    expect(replacement).toMatchObject({
      status: 'issued',
      replacesReference: first.reference,
      amountCents: 8000,
    });
    const { text } = await pdfText(await pdfOf(replacement.id));
    expect(text).toContain(`Annule et remplace le reçu n° ${first.reference}`);
    expect(text.replace(/\s+/g, ' ')).toContain('9 quai Saint-Vincent, 69001 Lyon');
    expect(text).toContain('quatre-vingts euros');
    // The cancelled one keeps its bytes.
    expect(
      createHash('sha256')
        .update(await pdfOf(first.id))
        .digest('hex'),
    ).toBe(first.pdfSha256);
    await owner.post(`${staff()}/receipts/${first.id}/cancel`, { reason: 'Encore' }).expect(409);

    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(elise.email!) && m.subject.includes(replacement.reference),
    );
    expect(mail.text).toContain(`annule et remplace le reçu n° ${first.reference}`);

    const csv = await owner.get(`${staff()}/receipts/register.csv?year=${year}`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${first.reference};`);
    expect(lines[1]).toContain(';annulé;Adresse erronée;');
    expect(lines[2]).toContain(`${replacement.reference};`);
    const declaration = (
      await owner.get(`${staff()}/receipts/declaration?year=${year}`).expect(200)
    ).body as ReceiptDeclarationView;
    expect(declaration).toMatchObject({
      count: 1,
      totalCents: 8000,
      cancelled: 1,
      byArticle: [{ article: '200', model: '11580*05', count: 1, totalCents: 8000 }],
    });
    const pdfRegister = await owner
      .get(`${staff()}/receipts/register.pdf?year=${year}`)
      .expect(200);
    expect(pdfRegister.headers['content-type']).toBe('application/pdf');
  });

  it('cancels the receipt when the gift is refunded, and tells the donor', async () => {
    await makeReady();
    const elise = await donor('Roux');
    const gift = await give(elise.id, { amount: '50', method: 'cash' });
    const [receipt] = await receiptsOf(elise.id);
    await owner
      .post(`${staff()}/payments/${gift.paymentId}/refunds`, { reason: 'Don versé par erreur' })
      .expect(201);
    await t.queue.drain();
    const after = (await owner.get(`${staff()}/receipts/${receipt.id}`).expect(200))
      .body as ReceiptView;
    expect(after).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Don remboursé',
      replacedById: null,
    });
    expect((await owner.get(`${staff()}/donations/${gift.id}`).expect(200)).body).toMatchObject({
      status: 'refunded',
      refundedCents: 5000,
      receiptId: null,
    });
    const mail = await t.smtp.waitFor(
      (m) => m.to.includes(elise.email!) && m.subject.includes('Annulation'),
    );
    expect(mail.text).toContain(receipt.reference);
  });

  it('a partial refund replaces the receipt by one for what is left', async () => {
    await makeReady();
    const elise = await donor('Blanc');
    const gift = await give(elise.id, { amount: '100', method: 'transfer', reference: 'VIR-1' });
    const [receipt] = await receiptsOf(elise.id);
    await owner
      .post(`${staff()}/payments/${gift.paymentId}/refunds`, { amount: '30', reason: 'Trop versé' })
      .expect(201);
    await t.queue.drain();
    const old = (await owner.get(`${staff()}/receipts/${receipt.id}`).expect(200))
      .body as ReceiptView;
    expect(old.status).toBe('cancelled');
    const replacement = (await owner.get(`${staff()}/receipts/${old.replacedById}`).expect(200))
      .body as ReceiptView;
    expect(replacement).toMatchObject({ amountCents: 7000, replacesReference: receipt.reference });
    expect((await pdfText(await pdfOf(replacement.id))).text).toContain('soixante-dix euros');
  });

  it('issues one annual summary per donor for the year, without refunded gifts, once', async () => {
    await makeReady({ defaultMode: 'annual' });
    const elise = await donor('Garnier');
    const other = await donor('Faure');
    const jan = `${year}-01-15`;
    await give(elise.id, { amount: '10', method: 'cash', receivedOn: jan });
    await give(elise.id, {
      amount: '25,50',
      method: 'transfer',
      receivedOn: jan <= today ? jan : today,
    });
    const refunded = await give(elise.id, { amount: '40', method: 'cheque' });
    await give(other.id, { amount: '15', method: 'cash' });
    await owner
      .post(`${staff()}/payments/${refunded.paymentId}/refunds`, {
        reason: 'Chèque sans provision',
      })
      .expect(201);
    expect(await receiptsOf(elise.id)).toEqual([]);
    const before = (await owner.get(`${staff()}/receipts/annual/${year}`).expect(200))
      .body as AnnualBatchView;
    expect(before).toMatchObject({ donorsWaiting: 2, giftsWaiting: 3, issued: 0 });

    await owner.post(`${staff()}/receipts/annual`, { year }).expect(202);
    await t.queue.drain();
    const [summary] = await receiptsOf(elise.id);
    expect(summary).toMatchObject({
      kind: 'annual',
      amountCents: 3550,
      periodStart: `${year}-01-01`,
      periodEnd: `${year}-12-31`,
    });
    expect(summary.lines.map((l) => l.amountCents).sort()).toEqual([1000, 2550]);
    const { text } = await pdfText(await pdfOf(summary.id));
    expect(text).toContain(`du 01/01/${year} au 31/12/${year} (reçu récapitulatif)`);
    expect(text).toContain('trente-cinq euros et cinquante centimes');

    await owner.post(`${staff()}/receipts/annual`, { year }).expect(202);
    await t.queue.drain();
    const status = (await owner.get(`${staff()}/receipts/annual/${year}`).expect(200))
      .body as AnnualBatchView;
    expect(status).toMatchObject({ donorsWaiting: 0, issued: 2 });
    expect(
      ((await owner.get(`${staff()}/receipts`).expect(200)).body as Page<ReceiptView>).total,
    ).toBe(2);
  });

  it('receipts a company gift on the 16216 model (art. 238 bis) and posts it to 7542', async () => {
    await makeReady();
    const company = (
      await owner
        .post(`${staff()}/contacts`, {
          kind: 'organization',
          organizationName: 'Boulangerie Dupain SARL',
          siren: '732829320',
          email: 'compta@dupain.example',
          addressLine1: '3 rue du Four',
          postalCode: '69004',
          city: 'Lyon',
        })
        .expect(201)
    ).body as ContactView;
    const gift = await give(company.id, { amount: '1000', method: 'transfer' });
    expect(await balanceOf(t, owner.orgId, '7542')).toBe(-100000);
    expect(gift.donorKind).toBe('company');
    const [receipt] = await receiptsOf(company.id);
    expect(receipt.model).toBe('16216*01');
    const { text } = await pdfText(await pdfOf(receipt.id));
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Reçu des dons et versements effectués par les entreprises');
    expect(flat).toContain('Article 238 bis du code général des impôts');
    expect(flat).toContain('Dénomination : Boulangerie Dupain SARL');
    expect(flat).toContain('SIREN : 732829320');
    expect(flat).toContain('mille euros');
    expect(flat).toContain('☒ Virement, prélèvement, carte bancaire');
  });

  it('records gifts in kind and renounced expenses with their entry and the right nature on the receipt', async () => {
    await makeReady();
    const volunteer = await donor('Lambert');
    const waiver = await give(volunteer.id, {
      kind: 'expense_waiver',
      amount: '63,20',
      method: null,
      description: 'Frais kilométriques, collecte du 12 mars (158 km)',
      debitAccount: '6251',
    });
    expect(await entryLines(t, owner.orgId, waiver.entryId!)).toEqual([
      { account: '6251', debit: 6320, credit: 0 },
      { account: '75412', debit: 0, credit: 6320 },
    ]);
    const [receipt] = await receiptsOf(volunteer.id);
    const flat = (await pdfText(await pdfOf(receipt.id))).text.replace(/\s+/g, ' ');
    expect(flat).toContain(
      '☒ Frais engagés par les bénévoles, dont ils renoncent expressément au remboursement',
    );
    expect(flat).toContain('☐ Numéraire');
    expect(flat).toContain('Description : Frais kilométriques, collecte du 12 mars (158 km)');
    expect(flat).not.toContain('Mode de versement');

    const missing = await owner
      .post(`${staff()}/donations`, {
        contactId: volunteer.id,
        kind: 'in_kind',
        amount: '10',
        receivedOn: today,
      })
      .expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'debitAccount',
      'description',
    ]);
  });

  it('gives field errors for bad gifts, and waits with a reason for a donor without address', async () => {
    await makeReady();
    const elise = await donor('Noël');
    const zero = await owner
      .post(`${staff()}/donations`, {
        contactId: elise.id,
        amount: '0',
        method: 'cash',
        receivedOn: today,
      })
      .expect(400);
    expect(zero.body.errors[0].field).toBe('amount');
    const negative = await owner
      .post(`${staff()}/donations`, {
        contactId: elise.id,
        amount: '-5',
        method: 'cash',
        receivedOn: today,
      })
      .expect(400);
    expect(negative.body.errors[0].field).toBe('amount');
    const future = await owner
      .post(`${staff()}/donations`, {
        contactId: elise.id,
        amount: '5',
        method: 'cash',
        receivedOn: `${year + 1}-01-01`,
      })
      .expect(422);
    expect(future.body.errors[0].field).toBe('receivedOn');
    const impossible = await owner
      .post(`${staff()}/donations`, {
        contactId: elise.id,
        amount: '5',
        method: 'cash',
        receivedOn: `${year}-02-30`,
      })
      .expect(400);
    expect(impossible.body.errors[0].field).toBe('receivedOn');

    const homeless = (
      await owner
        .post(`${staff()}/contacts`, {
          firstName: 'Sans',
          lastName: 'Adresse',
          email: 'sans.adresse@example.org',
        })
        .expect(201)
    ).body as ContactView;
    await give(homeless.id, { amount: '20', method: 'cash' });
    await t.queue.drain();
    const waiting = (
      (await owner.get(`${staff()}/receipts/gifts?contactId=${homeless.id}`).expect(200))
        .body as Page<ReceiptGiftView>
    ).items;
    expect(waiting[0].blockedReason).toContain('adresse');
    const refused = await owner
      .post(`${staff()}/receipts/gifts/${waiting[0].id}/issue`)
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'receipts.donor_incomplete' });
    expect(refused.body.errors[0].field).toBe('contactId');
  });

  it('receipts the fee of a plan marked eligible, not the fee of a plan with counterparts', async () => {
    await makeReady();
    const plan = async (name: string, receiptEligible: boolean) =>
      (
        await owner
          .post(`${staff()}/membership-plans`, {
            name,
            pricingKind: 'fixed',
            tiers: [{ code: 'std', label: 'Standard', amount: '40' }],
            validityKind: 'calendar_year',
            receiptEligible,
          })
          .expect(201)
      ).body as { id: string };
    const eligible = await plan('Membre bienfaiteur', true);
    const club = await plan('Adhésion club (cours)', false);
    const benefactor = await donor('Bienfaiteur');
    const sportsman = await donor('Sportif');
    const membership = (
      await owner
        .post(`${staff()}/memberships`, {
          contactId: benefactor.id,
          planId: eligible.id,
          payment: { method: 'cash', paidOn: today },
        })
        .expect(201)
    ).body as { id: string };
    await owner
      .post(`${staff()}/memberships`, {
        contactId: sportsman.id,
        planId: club.id,
        payment: { method: 'cash', paidOn: today },
      })
      .expect(201);
    const [receipt] = await receiptsOf(benefactor.id);
    expect(receipt).toMatchObject({
      amountCents: 4000,
      lines: [
        expect.objectContaining({
          sourceKind: 'membership',
          sourceId: membership.id,
          method: 'cash',
        }),
      ],
    });
    expect(await receiptsOf(sportsman.id)).toEqual([]);
  });

  it('gives gapless unique numbers to 100 gifts recorded at once', async () => {
    await makeReady({ sendByEmail: false });
    const people = await Promise.all(Array.from({ length: 10 }, (_, i) => donor(`Concurrent${i}`)));
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        owner
          .post(`${staff()}/donations`, {
            contactId: people[i % 10].id,
            amount: String(i + 1),
            method: 'cash',
            receivedOn: today,
          })
          .expect((res) => {
            if (res.status !== 201) throw new Error(JSON.stringify(res.body));
          }),
      ),
    );
    // A hundred issues queue on the counter row: give them time on a loaded machine.
    await t.queue.drain(120_000);
    const rows = await t.dataSource.query<{ number: number; amount_cents: string }[]>(
      'SELECT number, amount_cents FROM receipts WHERE organization_id = $1 ORDER BY number',
      [owner.orgId],
    );
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(rows.map((r) => Number(r.amount_cents)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => (i + 1) * 100),
    );
  });

  it('keeps receipts inside their organization', async () => {
    await makeReady();
    const elise = await donor('Secret');
    await give(elise.id);
    const [receipt] = await receiptsOf(elise.id);
    const stranger = await signupOrganization(t, 'Autre association');
    const other = `/api/v1/orgs/${stranger.orgId}`;
    await stranger.get(`${other}/receipts/${receipt.id}`).expect(404);
    await stranger.get(`${other}/receipts/${receipt.id}/pdf`).expect(404);
    await stranger
      .post(`${other}/receipts/${receipt.id}/cancel`, { reason: 'Intrusion' })
      .expect(404);
    await stranger.post(`${other}/receipts/${receipt.id}/resend`).expect(404);
    expect(
      ((await stranger.get(`${other}/receipts`).expect(200)).body as Page<ReceiptView>).total,
    ).toBe(0);
    await stranger.get(`${staff()}/receipts`).expect(404);
    await request(t.app.getHttpServer()).get(`${staff()}/receipts/${receipt.id}`).expect(401);
    expect((await owner.get(`${staff()}/receipts/${receipt.id}`).expect(200)).body.status).toBe(
      'issued',
    );
  });
});
