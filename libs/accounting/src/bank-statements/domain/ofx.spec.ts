import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parseOfx } from './ofx';
import { StatementFormatError } from './statement';

const FIXTURES = join(__dirname, '../../../../testing/fixtures/bank-statements');

describe('OFX statements', () => {
  it('reads an OFX 1.x (SGML) checking statement: transactions by FITID, the ledger balance', () => {
    const [s] = parseOfx(readFileSync(join(FIXTURES, 'ofxparse_checking.ofx')));
    expect(s).toMatchObject({
      format: 'ofx',
      version: '102',
      currency: 'USD',
      closingBalanceCents: 10099,
      closingDate: '2013-05-25',
      openingBalanceCents: null,
    });
    expect(
      s.lines.map((l) => [l.bookingDate, l.amountCents, l.bankReference, l.bankTransactionCode]),
    ).toEqual([
      ['2011-03-31', 1, '0000486', 'CREDIT'],
      ['2011-04-05', -3451, '0000487', 'DEBIT'],
      ['2011-04-07', -2500, '0000488', 'CHECK'],
    ]);
    expect(s.lines[2].label).toContain('chèque 319');
  });

  it('refuses an OFX file whose body is empty, cleanly', () => {
    expect(() => parseOfx(readFileSync(join(FIXTURES, 'ofxparse_bank_small.ofx')))).toThrow(
      StatementFormatError,
    );
    expect(() => parseOfx(Buffer.from('Date;Libellé;Montant\n'))).toThrow('Not an OFX file');
  });

  it('reads OFX 2.x (XML) and a French bank file in Windows-1252 with its accents', () => {
    const body = (label: string) => `<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF>
<BANKACCTFROM><BANKID>30006</BANKID><ACCTID>FR7630006000011234567890189</ACCTID></BANKACCTFROM>
<BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20260302</DTPOSTED><TRNAMT>25,50</TRNAMT><FITID>F1</FITID><NAME>${label}</NAME></STMTTRN></BANKTRANLIST>
<LEDGERBAL><BALAMT>1025.50</BALAMT><DTASOF>20260302</DTASOF></LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
    const xml = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><?OFX OFXHEADER="200" VERSION="220"?>${body('VIR COTISATION ÉLODIE')}`,
      'utf8',
    );
    const [a] = parseOfx(xml);
    expect(a).toMatchObject({
      version: '220',
      iban: 'FR7630006000011234567890189',
      closingBalanceCents: 102550,
    });
    expect(a.lines[0]).toMatchObject({
      amountCents: 2550,
      label: 'VIR COTISATION ÉLODIE',
      bankReference: 'F1',
    });

    const sgml = iconv.encode(
      `OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nCHARSET:1252\r\n\r\n${body('PRÉLÈVEMENT ÉNERGIE')}`,
      'win1252',
    );
    expect(parseOfx(sgml)[0].lines[0].label).toBe('PRÉLÈVEMENT ÉNERGIE');
    // Declared UTF-8 but written in Windows-1252: read as Windows-1252.
    const lying = iconv.encode(
      `<?xml version="1.0" encoding="UTF-8"?>${body('DON À LA CRÈCHE')}`,
      'win1252',
    );
    expect(parseOfx(lying)[0].lines[0].label).toBe('DON À LA CRÈCHE');
  });

  const sgml = (account: string, transactions: string[]) =>
    Buffer.from(
      [
        'OFXHEADER:100',
        'DATA:OFXSGML',
        'VERSION:102',
        '',
        '<OFX><BANKMSGSRSV1><STMTTRNRS>',
        '<STMTRS><CURDEF>EUR',
        account,
        '<BANKTRANLIST>',
        ...transactions,
        '</BANKTRANLIST><LEDGERBAL><BALAMT>10.00<DTASOF>20260331</LEDGERBAL>',
        '</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
        '',
      ].join('\r\n'),
      'latin1',
    );
  const trn = (amount: string, date: string, fitid: string) =>
    `<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>${date}<TRNAMT>${amount}<FITID>${fitid}<NAME>VIR</STMTTRN>`;

  it.each([
    [
      'an unreadable amount',
      trn('12,5O', '20260302', 'B'),
      'Line 10: transaction 2: "12,5O" is not an amount',
    ],
    ['no amount', trn('', '20260302', 'B'), 'Line 10: transaction 2: no amount (TRNAMT)'],
    ['no date', trn('1.00', '', 'B'), 'Line 10: transaction 2: no date (DTPOSTED)'],
    [
      'a day that does not exist',
      trn('1.00', '20260230', 'B'),
      'Line 10: transaction 2: the date posted "20260230" is not a real day',
    ],
    [
      'a transaction left open',
      '<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260302<TRNAMT>1.00',
      'Line 10: the transaction (<STMTTRN>) that starts here is not closed',
    ],
  ])('refuses the whole file for a transaction with %s, naming its line', (_, bad, message) => {
    const bytes = sgml('', [trn('1.00', '20260301', 'A'), bad, trn('3.00', '20260303', 'C')]);
    expect(() => parseOfx(bytes)).toThrow(StatementFormatError);
    expect(() => parseOfx(bytes)).toThrow(message);
  });

  it('refuses a statement whose balance date is not a real day, naming its line', () => {
    const bytes = Buffer.from(
      sgml('', [trn('1.00', '20260301', 'A')])
        .toString('latin1')
        .replace('<DTASOF>20260331', '<DTASOF>20261345'),
      'latin1',
    );
    expect(() => parseOfx(bytes)).toThrow(StatementFormatError);
    expect(() => parseOfx(bytes)).toThrow('ledger balance: the date "20261345" is not a real day');
  });

  it('refuses a file cut short inside a statement, naming where the statement starts', () => {
    const bytes = sgml('', [trn('1.00', '20260301', 'A')]);
    const cut = bytes.subarray(0, bytes.indexOf('</BANKTRANLIST>'));
    expect(() => parseOfx(cut)).toThrow(
      'Line 6: the statement (<STMTRS>) that starts here is not closed: the file is cut short',
    );
  });

  it('keeps a rounded amount as a note, and reads the bank details of a French account', () => {
    const [s] = parseOfx(
      sgml(
        '<BANKACCTFROM><BANKID>30004<BRANCHID>00823<ACCTID>00012345678<ACCTKEY>19<ACCTTYPE>CHECKING</BANKACCTFROM>',
        [trn('1.005', '20260301', 'A')],
      ),
    );
    expect(s.lines.map((l) => l.amountCents)).toEqual([101]);
    expect(s.problems).toEqual([
      "Line 9: transaction 1: 1.005 rounded to the currency's minor unit",
    ]);
    expect(s).toMatchObject({
      iban: null,
      account: { bankCode: '30004', branchCode: '00823', accountNumber: '00012345678', key: '19' },
      sourceLine: 6,
    });
    const [card] = parseOfx(
      Buffer.from(
        sgml('', [trn('1.00', '20260301', 'A')])
          .toString('latin1')
          .replace(/STMTRS>/g, 'CCSTMTRS>')
          .replace('<CURDEF>EUR', '<CURDEF>EUR<CCACCTFROM><ACCTID>4970123412341234</CCACCTFROM>'),
        'latin1',
      ),
    );
    expect(card).toMatchObject({ iban: null, account: null });
  });
});
