import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = '{"type":"entry.posted"}';

  it('signs "<timestamp>.<body>" with HMAC-SHA256 and verifies it', () => {
    const header = signWebhook(secret, body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, body, header, 1_800_000_100)).toBe(true);
  });

  it('refuses another secret, a changed body, an old timestamp and garbage', () => {
    const header = signWebhook(secret, body, 1_800_000_000);
    expect(verifyWebhookSignature('whsec_other', body, header, 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature(secret, `${body} `, header, 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 1_800_000_000 + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, 'garbage', 1_800_000_000)).toBe(false);
  });
});
