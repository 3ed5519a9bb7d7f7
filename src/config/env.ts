/**
 * Every setting, from environment variables, parsed once at start-up. An invalid or missing
 * variable stops start-up with a message naming each one and how to fix it.
 */
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number) => z.coerce.number().int().min(min);
const url = z.string().url();

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    REDIS_URL: url.default('redis://127.0.0.1:6379'),
    /** Prefix of every Redis key and BullMQ queue, so several installs can share one Redis. */
    REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('lsync'),

    HUBSPOT_ACCESS_TOKEN: z.string().min(1).optional(),
    HUBSPOT_BASE_URL: url.default('https://api.hubapi.com'),
    HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
    HUBSPOT_RATE_LIMIT_PER_10S: int(1).default(190),
    HUBSPOT_DAILY_LIMIT: int(1).default(625_000),
    HUBSPOT_SEARCH_PER_SECOND: int(1).default(4),
    /** The web-analytics events API exists on Enterprise portals only. */
    HUBSPOT_WEB_EVENTS: bool.default(false),
    /** One HubSpot call without an answer after this long is abandoned and retried. */
    HUBSPOT_TIMEOUT_MS: int(100).default(30_000),
    /** Public URL HubSpot calls for webhooks (signature v3 signs it); default: the request's own URL. */
    WEBHOOK_PUBLIC_URL: url.optional(),

    SALESFORCE_INSTANCE_URL: url.optional(),
    SALESFORCE_ACCESS_TOKEN: z.string().min(1).optional(),
    SALESFORCE_LOGIN_URL: url.default('https://login.salesforce.com'),
    SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
    SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
    SALESFORCE_USERNAME: z.string().min(1).optional(),
    SALESFORCE_PASSWORD: z.string().min(1).optional(),
    /** PEM private key (or a path to one) for the JWT bearer flow. */
    SALESFORCE_PRIVATE_KEY: z.string().min(1).optional(),
    SALESFORCE_API_VERSION: z.string().regex(/^\d{2}\.0$/, 'like 60.0').default('60.0'),
    /** The integration user's id, when it cannot be learned from the login (recognises the service's own changes). */
    SALESFORCE_INTEGRATION_USER_ID: z.string().regex(/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'a User id (starts with 005)').optional(),
    /** Share of the org's daily API allocation this service may use (0-1]. */
    SALESFORCE_DAILY_SHARE: z.coerce.number().gt(0).max(1).default(0.2),
    /** One Salesforce call without an answer after this long is abandoned and retried. */
    SALESFORCE_TIMEOUT_MS: int(100).default(60_000),

    ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
    PORT: int(0).default(3000),
    SYNC_INTERVAL_SECONDS: int(10).default(300),
    OUTCOMES_INTERVAL_SECONDS: int(10).default(300),
    /** Daily re-evaluation (cron, UTC) so decay and hysteresis apply without new activity. */
    REEVALUATE_CRON: z.string().default('0 3 * * *'),
    WORKER_CONCURRENCY: int(1).default(4),
    BATCH_SIZE: int(1).default(100),
    /** Contacts per backfill chunk: one associations read (1,000 inputs) per engagement type and chunk. */
    BACKFILL_CHUNK_SIZE: int(1).max(10_000).default(1000),
    MQL_DEFINITION_PATH: z.string().optional(),
    MAPPINGS_DIR: z.string().optional(),
    HISTORY_RETENTION_DAYS: int(1).default(730),
    /** Run against the embedded sandbox instead of real systems (default when no credentials are set). */
    SANDBOX: bool.optional(),
    SANDBOX_CONTACTS: int(1).default(3000),
    SANDBOX_SEED: int(0).default(42),
  })
  .superRefine((env, ctx) => {
    const sfCredentials = env.SALESFORCE_ACCESS_TOKEN ?? env.SALESFORCE_USERNAME;
    if (env.SALESFORCE_ACCESS_TOKEN && !env.SALESFORCE_INSTANCE_URL) {
      ctx.addIssue({ code: 'custom', path: ['SALESFORCE_INSTANCE_URL'], message: 'required with SALESFORCE_ACCESS_TOKEN' });
    }
    if (env.SALESFORCE_USERNAME && !env.SALESFORCE_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['SALESFORCE_CLIENT_ID'], message: 'required with SALESFORCE_USERNAME (the connected app consumer key)' });
    }
    if (env.SALESFORCE_USERNAME && !env.SALESFORCE_PASSWORD && !env.SALESFORCE_PRIVATE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SALESFORCE_PASSWORD'], message: 'set SALESFORCE_PASSWORD (username-password flow) or SALESFORCE_PRIVATE_KEY (JWT bearer flow)' });
    }
    const real = Boolean(env.HUBSPOT_ACCESS_TOKEN) || Boolean(sfCredentials);
    if (env.SANDBOX === false || (env.SANDBOX === undefined && real)) {
      if (!env.HUBSPOT_ACCESS_TOKEN) ctx.addIssue({ code: 'custom', path: ['HUBSPOT_ACCESS_TOKEN'], message: 'required to sync a real HubSpot portal (a private app token); unset all credentials to use the sandbox' });
      if (!sfCredentials) ctx.addIssue({ code: 'custom', path: ['SALESFORCE_ACCESS_TOKEN'], message: 'set SALESFORCE_ACCESS_TOKEN + SALESFORCE_INSTANCE_URL, or SALESFORCE_USERNAME with a password or private key' });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Thrown with every problem listed; start-up prints it and exits. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Variables whose values must never be printed. */
const SECRET = /TOKEN|SECRET|PASSWORD|PRIVATE_KEY/;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env & { sandbox: boolean } {
  // Empty strings mean "unset", as in most shells' `VAR=` usage.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '');
        const value = cleaned[name];
        const shown = value === undefined ? 'not set' : SECRET.test(name) ? 'value hidden' : `got "${value}"`;
        return `${name}: ${issue.message.replace(/^Invalid input: /, '')} (${shown})`;
      }),
    );
  }
  const env = parsed.data;
  const sandbox = env.SANDBOX ?? !(env.HUBSPOT_ACCESS_TOKEN || env.SALESFORCE_ACCESS_TOKEN || env.SALESFORCE_USERNAME);
  return { ...env, sandbox };
}
