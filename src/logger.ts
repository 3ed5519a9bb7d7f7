/**
 * pino JSON logs. Secrets and personal data never reach them: tokens, secrets and e-mail
 * addresses are redacted wherever they appear in a logged object, and log lines carry ids
 * (run id, job id, HubSpot id), never names or addresses.
 */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  '*.accessToken', '*.access_token', '*.refreshToken', '*.refresh_token', '*.clientSecret', '*.client_secret',
  '*.password', '*.privateKey', '*.token', '*.adminToken', '*.authorization', '*.Authorization', '*.cookie',
  '*.email', '*.Email', '*.firstName', '*.lastName', '*.FirstName', '*.LastName', '*.firstname', '*.lastname', '*.phone',
  'headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie',
  'config.HUBSPOT_ACCESS_TOKEN', 'config.HUBSPOT_CLIENT_SECRET', 'config.SALESFORCE_ACCESS_TOKEN', 'config.SALESFORCE_PASSWORD',
  'config.SALESFORCE_PRIVATE_KEY', 'config.SALESFORCE_CLIENT_SECRET', 'config.ADMIN_TOKEN',
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

/** Scrubs free text (error messages from APIs can quote the offending e-mail address). */
export function scrub(text: string): string {
  return text.replace(EMAIL, '[email]').replace(BEARER, '$1[token]');
}

export function createLogger(options: { level: string; destination?: pino.DestinationStream; base?: Record<string, unknown> }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'lifecycle-sync', ...options.base },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        log: (object) => {
          if (typeof object.msg === 'string') object.msg = scrub(object.msg);
          const err = object.err as { message?: string } | undefined;
          if (err && typeof err === 'object' && typeof err.message === 'string') {
            return { ...object, err: { type: (err as Error).name, message: scrub(err.message), stack: scrub(String((err as Error).stack ?? '')) } };
          }
          return object;
        },
      },
      hooks: {
        logMethod(args, method) {
          // Messages given as strings after the object are scrubbed too.
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
