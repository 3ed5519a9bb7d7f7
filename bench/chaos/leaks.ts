/**
 * What must never appear in a log: the configured secrets (as given, and as they would look
 * in a header or URL) and e-mail addresses, ASCII or not. Returns what was found, described
 * without repeating the value.
 */
export interface Secrets {
  hubspotToken: string;
  hubspotClientSecret: string;
  salesforcePassword: string;
  salesforceClientSecret: string;
  adminToken: string;
}

/** local@domain.tld, with any non-space characters a unicode address may carry. */
const EMAIL = /[^\s"'<>()[\]{},;:\\/@=]+@[^\s"'<>()[\]{},;:\\/@=]+\.[^\s"'<>()[\]{},;:\\/@=.]{2,}/gu;

export function leaks(text: string, secrets: Secrets | Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (value && (text.includes(value) || text.includes(encodeURIComponent(value)))) found.push(`${name} appears in the logs`);
  }
  const emails = text.match(EMAIL) ?? [];
  if (emails.length > 0) found.push(`${emails.length} e-mail address(es) appear in the logs (first at character ${text.search(EMAIL)})`);
  return found;
}
