/** The admin CLI commands are clients of the admin API, so they work against any deployment. */
import { UsageError } from './errors';

export interface AdminTarget {
  url: string;
  token: string;
}

export function adminTarget(opts: { url?: string; token?: string }): AdminTarget {
  const token = opts.token ?? process.env.ADMIN_TOKEN;
  if (!token) throw new UsageError('no admin token: pass --token or set ADMIN_TOKEN');
  const url = (opts.url ?? process.env.LSYNC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
  return { url, token };
}

export async function call<T>(target: AdminTarget, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new UsageError(`cannot reach the admin API at ${target.url} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}); is lifecycle-sync running? (--url or LSYNC_URL)`);
  }
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const message = (json as { error?: string } | undefined)?.error ?? response.statusText;
    throw new UsageError(`${method} ${path}: ${response.status} ${message}`);
  }
  return json as T;
}
