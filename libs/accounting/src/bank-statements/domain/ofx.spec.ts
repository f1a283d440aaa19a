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
});
