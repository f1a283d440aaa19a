import type { Page } from 'playwright-core';

export interface Credentials {
  email: string;
  password: string;
}

/** An organization signed up through the API, and a way to call its staff routes as its owner. */
export interface SignedUp {
  /** `<api>/api/v1/orgs/<organization id>`. */
  staff: string;
  cookie: string;
  csrfToken: string;
  /** POSTs a JSON body to a staff route; anything but 201 throws with the answer. */
  create(path: string, body: object): Promise<Record<string, unknown>>;
}

export async function signUp(
  apiUrl: string,
  input: Credentials & { organizationName: string; name: string },
): Promise<SignedUp> {
  const res = await fetch(`${apiUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale: 'fr', ...input }),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const session = (await res.json()) as {
    csrfToken: string;
    organizations: { organizationId: string }[];
  };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const staff = `${apiUrl}/api/v1/orgs/${session.organizations[0].organizationId}`;
  return {
    staff,
    cookie,
    csrfToken: session.csrfToken,
    async create(path, body) {
      const answer = await fetch(`${staff}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(body),
      });
      if (answer.status !== 201)
        throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
      return (await answer.json()) as Record<string, unknown>;
    },
  };
}

/** Logs in through the admin's login page and waits for the dashboard. */
export async function logIn(page: Page, apiUrl: string, credentials: Credentials): Promise<void> {
  await page.goto(`${apiUrl}/login`);
  await page.getByTestId('login-email').fill(credentials.email);
  await page.getByTestId('login-password').fill(credentials.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dashboard-title').waitFor();
}
