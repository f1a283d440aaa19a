import { DomainError } from '../errors/domain-error';

export type CurrencyCode = string;

/** An amount in integer minor units (cents) with its ISO 4217 currency. Never a float. */
export class Money {
  private constructor(
    readonly amountCents: bigint,
    readonly currency: CurrencyCode,
  ) {}

  static of(amountCents: bigint | number, currency: CurrencyCode): Money {
    if (typeof amountCents === 'number' && !Number.isSafeInteger(amountCents)) {
      throw DomainError.invalid('money.not_integer', 'Amounts are integer minor units (cents)');
    }
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw DomainError.invalid('money.bad_currency', `Unknown currency code "${currency}"`);
    }
    return new Money(BigInt(amountCents), currency);
  }

  static zero(currency: CurrencyCode): Money {
    return Money.of(0n, currency);
  }

  /** Parses a decimal string such as "12.50" or "12,5" into cents; refuses more than 2 decimals. */
  static parse(decimal: string, currency: CurrencyCode): Money {
    const match = /^(-)?(\d+)(?:[.,](\d{1,2}))?$/.exec(decimal.trim());
    if (!match) {
      throw DomainError.invalid('money.bad_format', `"${decimal}" is not an amount with at most 2 decimals`);
    }
    const [, sign, units, fraction = ''] = match;
    const cents = BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0'));
    return Money.of(sign ? -cents : cents, currency);
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.amountCents + other.amountCents, this.currency);
  }

  subtract(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.amountCents - other.amountCents, this.currency);
  }

  negate(): Money {
    return new Money(-this.amountCents, this.currency);
  }

  isZero(): boolean {
    return this.amountCents === 0n;
  }

  isNegative(): boolean {
    return this.amountCents < 0n;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amountCents === other.amountCents;
  }

  /** "12.50": a dot-decimal string with exactly 2 decimals (for files and APIs, never for display). */
  toDecimalString(): string {
    const negative = this.amountCents < 0n;
    const abs = negative ? -this.amountCents : this.amountCents;
    const units = abs / 100n;
    const cents = (abs % 100n).toString().padStart(2, '0');
    return `${negative ? '-' : ''}${units}.${cents}`;
  }

  toJSON(): { amountCents: string; currency: string } {
    return { amountCents: this.amountCents.toString(), currency: this.currency };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw DomainError.invalid(
        'money.currency_mismatch',
        `Cannot combine ${this.currency} and ${other.currency}`,
      );
    }
  }
}

/** An amount for people to read (e-mails, PDFs): "12,50 €" in French, "€12.50" in English. */
export function formatMoney(amountCents: number | bigint | string, currency: CurrencyCode, locale: 'fr' | 'en'): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { style: 'currency', currency }).format(Number(amountCents) / 100);
}
