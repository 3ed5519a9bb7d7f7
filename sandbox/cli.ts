/**
 * `npm run sandbox -- --hubspot-port 4010 --salesforce-port 4020 --contacts 1000 --seed 42`:
 * both simulators in the foreground until SIGINT / SIGTERM.
 */
import { Command, InvalidArgumentError } from 'commander';
import { startSandbox } from './index';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('sandbox')
    .description('Run the HubSpot and Salesforce simulators with a seeded life-sciences data set')
    .option('--hubspot-port <port>', 'HubSpot simulator port (0 = ephemeral)', integer, 4010)
    .option('--salesforce-port <port>', 'Salesforce simulator port (0 = ephemeral)', integer, 4020)
    .option('--contacts <n>', 'seeded HubSpot contacts', integer, 1000)
    .option('--seed <n>', 'data set and fault seed', integer, 42)
    .option('--anchor <iso>', 'the data set\'s "now" (default: today 00:00 UTC)')
    .option('--webhook-url <url>', 'where HubSpot webhooks are POSTed')
    .option('--webhook-secret <secret>', 'client secret for webhook signature v3')
    .option('--latency <ms>', 'added latency per request, in ms', integer)
    .option('--no-enterprise', 'answer the web analytics events API with 403, like a non-Enterprise portal')
    .option('--no-lifecycle-properties', 'start the HubSpot portal without the lsync_* properties')
    .parse(argv);
  const o = program.opts<{
    hubspotPort: number; salesforcePort: number; contacts: number; seed: number; anchor?: string; webhookUrl?: string;
    webhookSecret?: string; latency?: number; enterprise: boolean; lifecycleProperties: boolean;
  }>();
  const started = Date.now();
  const sandbox = await startSandbox({
    contacts: o.contacts, seed: o.seed, hubspotPort: o.hubspotPort, salesforcePort: o.salesforcePort, enterprise: o.enterprise,
    withLifecycleProperties: o.lifecycleProperties,
    ...(o.anchor ? { anchor: o.anchor } : {}), ...(o.webhookUrl ? { webhookUrl: o.webhookUrl } : {}),
    ...(o.webhookSecret ? { webhookSecret: o.webhookSecret } : {}), ...(o.latency !== undefined ? { latencyMs: [o.latency, o.latency] as [number, number] } : {}),
  });
  process.stdout.write(`HubSpot sandbox:    ${sandbox.hubspotUrl}\nSalesforce sandbox: ${sandbox.salesforceUrl}\n`);
  process.stdout.write(`${o.contacts} contacts, seed ${o.seed}, ready in ${Date.now() - started} ms. Ctrl-C to stop.\n`);
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
