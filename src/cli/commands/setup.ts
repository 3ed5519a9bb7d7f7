/**
 * `lifecycle-sync doctor`: checks configuration, mappings and both systems (HubSpot
 * properties, Salesforce fields) and exits non-zero naming each problem.
 * `lifecycle-sync setup --apply`: creates the HubSpot property group and missing properties.
 */
import type { Command } from 'commander';
import { buildServices, type Services } from '../../app/services';
import { parseEnv } from '../../config/env';
import { createLogger } from '../../logger';
import { UsageError } from '../errors';

async function withConnectors<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const env = parseEnv();
  if (env.sandbox) throw new UsageError('no HubSpot or Salesforce credentials are set: doctor and setup check real systems (see README "Configuration")');
  const services = await buildServices(env, createLogger({ level: 'warn' }), { role: 'cli', redisGiveUpAfterMs: 5_000 });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

export function registerSetup(program: Command): void {
  program
    .command('doctor')
    .description('check configuration, mappings and both systems; non-zero exit when anything is missing or mismatched')
    .action(async () => {
      // Configuration and mappings are checked by start-up itself (a bad one throws with file, path and fix).
      const { hubspot, salesforce } = await withConnectors(async (s) => ({ hubspot: await s.hubspot.checkProperties(), salesforce: await s.salesforce.checkFields() }));
      const lines = ['configuration and mappings: OK'];
      lines.push(`HubSpot property group "${hubspot.group.name}": ${hubspot.group.exists ? 'OK' : 'missing (lifecycle-sync setup --apply creates it)'}`);
      for (const p of hubspot.properties.filter((x) => x.status !== 'ok')) {
        lines.push(`HubSpot contact property ${p.name}: ${p.status.replace('_', ' ')}; expected ${p.expected}${p.actual ? `, found ${p.actual}` : ''}${p.missingOptions ? `; missing options ${p.missingOptions.join(', ')}` : ''}`);
      }
      for (const p of salesforce.problems) lines.push(`Salesforce ${p.severity}: ${p.message}`);
      const ok = hubspot.ok && salesforce.ok;
      lines.push(ok ? 'doctor: everything the mappings name exists and fits' : 'doctor: problems found (see above)');
      process.stdout.write(`${lines.join('\n')}\n`);
      if (!ok) process.exitCode = 1;
    });
  program
    .command('setup')
    .description('create the HubSpot lifecycle property group and missing properties (Salesforce fields: see README)')
    .option('--apply', 'make the changes (without it, only show what would be created)')
    .action(async (opts: { apply?: boolean }) => {
      await withConnectors(async (s) => {
        if (!opts.apply) {
          const report = await s.hubspot.checkProperties();
          const missing = report.properties.filter((p) => p.status === 'missing').map((p) => p.name);
          process.stdout.write(`would create: ${report.group.exists ? '' : `group ${report.group.name}; `}${missing.join(', ') || 'nothing'}\nrun with --apply to create them\n`);
          return;
        }
        const result = await s.hubspot.createMissingProperties();
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        if (result.needsAttention.length) process.exitCode = 1;
      });
    });
}
