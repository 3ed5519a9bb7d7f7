/**
 * `lifecycle-sync definition diff|list|upload|shadow|shadow-report|go-live|log`: definition
 * versions. `diff` of two files works offline; everything else is a client of the admin API
 * (--url / LSYNC_URL, --token / ADMIN_TOKEN), so actions are recorded where the service runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import type { DefinitionEvent, DefinitionListing } from '../../../jobs/definition-registry';
import type { ComparisonResult } from '../../domain/reports/compare';
import type { Window } from '../../domain/reports/history';
import { parseDefinition } from '../../domain/definition/parse';
import { diffDefinitions, formatDiff } from '../../domain/definition/diff';
import { table } from '../../domain/reports/table';
import { comparisonText } from '../../domain/reports/text';
import { displayPath, loadDefinition } from '../../mappings/load-definition';
import { adminTarget, call, type AdminTarget } from '../admin-client';
import { UsageError } from '../errors';

interface Connection {
  url?: string;
  token?: string;
}

const out = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function withConnection(command: Command): Command {
  return command.option('--url <url>', 'admin API base URL (default LSYNC_URL or http://127.0.0.1:$PORT)').option('--token <token>', 'admin token (default ADMIN_TOKEN)');
}

function withActor(command: Command): Command {
  return withConnection(command).option('--by <name>', 'who acts, recorded with the action (default LSYNC_ADMIN_USER or your user name)');
}

const actorOf = (opts: { by?: string }) => opts.by ?? process.env.LSYNC_ADMIN_USER ?? os.userInfo().username;

/** A definition file, or a version stored by the service (`live` for the live one). */
async function sourceOf(ref: string, connection: Connection, target: () => AdminTarget) {
  if (existsSync(ref)) return loadDefinition(ref).source;
  if (!connection.url && !connection.token && !process.env.ADMIN_TOKEN) throw new UsageError(`"${ref}" is not a file; to compare stored versions give --token (or ADMIN_TOKEN)`);
  const stored = await call<{ text: string; version: string }>(target(), 'GET', `/admin/definitions/${encodeURIComponent(ref)}`);
  return parseDefinition(stored.text, `definition ${stored.version}`).source;
}

export function registerDefinitionVersions(program: Command): void {
  const definition = program.commands.find((c) => c.name() === 'definition');
  if (!definition) throw new Error('register the definition command first');

  withConnection(definition.command('diff').description('what changed between two definitions, rule by rule (files, or stored versions through the admin API)').argument('<a>', 'file or version').argument('<b>', 'file or version').option('--json', 'the changes as JSON')).action(
    async (a: string, b: string, opts: Connection & { json?: boolean }) => {
      const target = () => adminTarget(opts);
      const [from, to] = [await sourceOf(a, opts, target), await sourceOf(b, opts, target)];
      const changes = diffDefinitions(from, to);
      out(opts.json ? JSON.stringify({ from: from.version, to: to.version, changes }, null, 2) : formatDiff(from, to, changes));
    },
  );

  withConnection(definition.command('list').description('stored versions: which is live, which run in shadow')).action(async (opts: Connection) => {
    const { definitions } = await call<{ live: string; definitions: DefinitionListing[] }>(adminTarget(opts), 'GET', '/admin/definitions');
    const shadow = (d: DefinitionListing) => (d.shadow ? `${d.shadow.from.slice(0, 16)} .. ${d.shadow.until?.slice(0, 16) ?? 'until turned off'}` : '');
    out(table(['version', 'live', 'shadow', 'uploaded', 'by'], definitions.map((d) => [d.version, d.live ? 'LIVE' : '', shadow(d), d.uploadedAt.slice(0, 16), d.uploadedBy])));
  });

  withActor(definition.command('upload').description('validate a definition file and store it as a candidate version').argument('<path>')).action(async (file: string, opts: Connection & { by?: string }) => {
    if (!existsSync(file)) throw new UsageError(`${file}: file not found`);
    const result = await call<{ created: boolean; definition: { version: string }; warnings: string[] }>(adminTarget(opts), 'POST', '/admin/definitions', { yaml: readFileSync(file, 'utf8'), name: displayPath(file), by: actorOf(opts) });
    out(`${result.definition.version}: ${result.created ? 'stored' : 'already stored with the same rules'}${result.warnings.map((w) => `\n  warning: ${w}`).join('')}`);
  });

  withActor(
    definition
      .command('shadow')
      .description('run a stored version alongside the live one (history and reports only, never written to HubSpot or Salesforce)')
      .argument('<version>')
      .option('--from <date-time>', 'start (default now)')
      .option('--until <date-time>', 'end (default: until turned off)')
      .option('--off', 'stop the shadow run'),
  ).action(async (version: string, opts: Connection & { by?: string; from?: string; until?: string; off?: boolean }) => {
    const target = adminTarget(opts);
    const path = `/admin/definitions/${encodeURIComponent(version)}/shadow`;
    if (opts.off) {
      await call(target, 'DELETE', path, { by: actorOf(opts) });
      return out(`${version}: shadow run stopped`);
    }
    const body = { by: actorOf(opts), ...(opts.from ? { from: opts.from } : {}), ...(opts.until ? { until: opts.until } : {}) };
    const { shadow } = await call<{ shadow: { from: string; until: string | null; by: string } }>(target, 'PUT', path, body);
    out(`${version} runs in shadow from ${shadow.from} ${shadow.until ? `until ${shadow.until}` : 'until turned off'} (by ${shadow.by}): verdicts go to the history and reports only`);
  });

  withConnection(
    definition
      .command('shadow-report')
      .description("a shadow version's recorded verdicts against the live ones: MQLs, flips, precision and recall")
      .argument('<version>')
      .option('--since <date>', 'from (default: when the shadow run began)')
      .option('--until <date>')
      .option('--json'),
  ).action(async (version: string, opts: Connection & { since?: string; until?: string; json?: boolean }) => {
    const query = new URLSearchParams({ ...(opts.since ? { since: opts.since } : {}), ...(opts.until ? { until: opts.until } : {}) });
    const report = await call<ComparisonResult & { window: Window }>(adminTarget(opts), 'GET', `/admin/definitions/${encodeURIComponent(version)}/shadow-report?${query}`);
    out(opts.json ? JSON.stringify(report, null, 2) : comparisonText('Shadow report (recorded at each sync)', report));
  });

  withActor(definition.command('go-live').description('make a stored version live for every worker from its next job (recorded with who and when)').argument('<version>').option('--force', 'even when HubSpot or Salesforce lack its tiers or service lines')).action(
    async (version: string, opts: Connection & { by?: string; force?: boolean }) => {
      const event = await call<DefinitionEvent & { warnings: string[] }>(adminTarget(opts), 'POST', `/admin/definitions/${encodeURIComponent(version)}/go-live`, { by: actorOf(opts), ...(opts.force ? { force: true } : {}) });
      out(`${event.version} is live (was ${event.previous}), by ${event.by} at ${event.at}${event.warnings.map((w) => `\n  warning: ${w}`).join('')}`);
    },
  );

  withConnection(definition.command('log').description('who uploaded, shadowed and made live which version, when').option('--limit <n>', 'events', '50')).action(async (opts: Connection & { limit: string }) => {
    const events = await call<DefinitionEvent[]>(adminTarget(opts), 'GET', `/admin/definitions/events?limit=${Number(opts.limit)}`);
    out(table(['at', 'action', 'version', 'by', 'detail'], events.map((e) => [e.at.slice(0, 19), e.action, e.version, e.by, e.previous ? `was ${e.previous}` : e.from ? `${e.from.slice(0, 16)} .. ${e.until?.slice(0, 16) ?? 'off'}` : ''])));
  });
}
