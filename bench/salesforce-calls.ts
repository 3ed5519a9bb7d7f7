/**
 * npm run bench:salesforce-calls -- [--contacts N]
 *
 * Salesforce calls of one sync of N HubSpot contacts against the simulator, seeded from the
 * data set (about 20% of the contacts already have Leads or Contacts, duplicates and
 * converted Leads included): log in, match every contact, push the MQL fields that differ,
 * create Leads for new MQLs without a record, one follow-up task per new MQL, then read the
 * outcomes of Leads and Contacts. MQLs come from the default definition over the data set's
 * activities. Prints the calls per endpoint as the simulator counted them (and as the
 * connector counted them), checks the 25-call budget for 1,000 contacts, writes the figures
 * under bench/results/.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Command } from 'commander';
import Redis from 'ioredis';
import { callTotals } from '../connectors/accounting';
import type { MatchResult, TaskRequest } from '../connectors/ports';
import { createSalesforceConnector } from '../connectors/salesforce';
import { startServer } from '../sandbox/common';
import { generateContact, salesforceSeedRecords, type SeedContact } from '../sandbox/dataset';
import { createSalesforceSimulator } from '../sandbox/salesforce';
import { evaluate, type Evaluation } from '../src/domain/evaluate';
import type { Contact } from '../src/domain/types';
import { DEFAULT_MAPPINGS_DIR, loadYamlFile, type Mappings as AllMappings } from '../src/mappings/load';
import { loadDefinition } from '../src/mappings/load-definition';
import { fieldsSchema, reasonsSchema, routingSchema } from '../src/mappings/schema';
import { writeResult } from './results';

const SEED = 42;
const ANCHOR = '2026-11-20T00:00:00.000Z';
const BUDGET_PER_1000 = 25;
const SANDBOX_LOGIN = { clientId: 'lsync-bench', clientSecret: 'bench-secret', username: 'integration@lifecycle-sync.example', password: 'bench-password' };

/** The mappings a Salesforce sync reads (the activity rules are the HubSpot side's). */
type Mappings = Pick<AllMappings, 'fields' | 'reasons' | 'routing' | 'definition'>;

function loadSalesforceMappings(): Mappings {
  const file = (name: string) => path.join(DEFAULT_MAPPINGS_DIR, name);
  return {
    fields: loadYamlFile(file('fields.yaml'), fieldsSchema),
    reasons: loadYamlFile(file('reasons.yaml'), reasonsSchema),
    routing: loadYamlFile(file('routing.yaml'), routingSchema),
    definition: loadDefinition(),
  };
}

/** The domain view of a seeded contact, through mappings/fields.yaml (the HubSpot connector's job in the service). */
function toContact(seed: SeedContact, mappings: Mappings): Contact {
  const names = mappings.fields.hubspot.contact;
  const prop = (name: string | undefined) => (name ? (seed.properties[name] ?? null) : null);
  const employees = Number.parseInt(prop(names.employees) ?? '', 10);
  return {
    id: seed.id,
    email: prop(names.email),
    firstName: prop(names.firstName),
    lastName: prop(names.lastName),
    jobTitle: prop(names.jobTitle),
    jobFunction: prop(names.jobFunction),
    company: prop(names.company),
    organizationType: prop(names.organizationType),
    employees: Number.isFinite(employees) ? employees : null,
    country: prop(names.country),
    serviceLine: prop(names.serviceLine),
    properties: seed.properties,
  };
}

/** The service-owned fields an evaluation asks for, by Salesforce API name. */
function pushFields(e: Evaluation, mappings: Mappings): Record<string, unknown> {
  const push = mappings.fields.salesforce.push;
  return {
    [push.mql]: e.mql,
    [push.score]: e.score.total,
    [push.fitScore]: e.score.fit,
    [push.engagementScore]: e.score.engagement,
    [push.tier]: e.tier,
    [push.reasons]: e.reasons.map((r) => `${r.points >= 0 ? '+' : ''}${r.points} ${r.detail}`).join('\n').slice(0, 4000),
    [push.definitionVersion]: e.definitionVersion,
    [push.mqlDate]: e.mql ? ANCHOR : null,
    [push.serviceLine]: e.serviceLine,
  };
}

/** What the planner would write: the fields that differ from the record, and the link when missing. */
function diff(match: MatchResult, desired: Record<string, unknown>, externalIdField: string): Record<string, unknown> {
  const current = match.record?.fields ?? {};
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(desired)) {
    const have = current[field] ?? null;
    const same = typeof value === 'string' && typeof have === 'string' && field.endsWith('Date__c') ? Date.parse(value) === Date.parse(have.replace(/(\d{2})(\d{2})$/, '$1:$2')) : have === value;
    if (!same) changes[field] = value;
  }
  if (!current[externalIdField]) changes[externalIdField] = match.hubspotId;
  return changes;
}

function newLeadFields(contact: Contact, mappings: Mappings): Record<string, unknown> {
  const fields: Record<string, unknown> = { OwnerId: mappings.routing.defaults.leadOwnerId };
  for (const [field, source] of Object.entries(mappings.fields.salesforce.createLeads.fields)) {
    fields[field] = 'value' in source ? source.value : ((contact[source.from] as string | null) ?? source.default ?? null);
  }
  return fields;
}

async function main(): Promise<void> {
  const opts = new Command().option('--contacts <n>', 'HubSpot contacts to sync', '1000').parse().opts<{ contacts: string }>();
  const count = Number(opts.contacts);
  const mappings = loadSalesforceMappings();
  const sf = mappings.fields.salesforce;
  const dataset = { seed: SEED, anchor: ANCHOR };

  const sim = createSalesforceSimulator({ seedRecords: salesforceSeedRecords(dataset, count), credentials: SANDBOX_LOGIN });
  const server = await startServer(sim.app);
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  const keyPrefix = `lsync-bench-${randomBytes(4).toString('hex')}`;
  try {
    await redis.connect();
    const seeded = sim.store.count('Lead') + sim.store.count('Contact');
    const contacts = Array.from({ length: count }, (_, i) => generateContact(dataset, i));
    const evaluations = new Map(contacts.map((c) => [c.id, { contact: toContact(c, mappings), evaluation: evaluate(mappings.definition, toContact(c, mappings), c.activities, ANCHOR) }]));
    const connector = createSalesforceConnector({
      config: {
        SALESFORCE_LOGIN_URL: server.url,
        SALESFORCE_USERNAME: SANDBOX_LOGIN.username,
        SALESFORCE_PASSWORD: SANDBOX_LOGIN.password,
        SALESFORCE_CLIENT_ID: SANDBOX_LOGIN.clientId,
        SALESFORCE_CLIENT_SECRET: SANDBOX_LOGIN.clientSecret,
        SALESFORCE_API_VERSION: '60.0',
        SALESFORCE_DAILY_SHARE: 0.2,
      },
      mappings,
      redis,
      keyPrefix,
    });
    sim.control.resetStats();
    const before = (await callTotals()).salesforce;
    const started = Date.now();
    const phases: Record<string, number> = {};
    let counted0 = 0;
    const phase = (name: string) => {
      const total = sim.control.stats().requests.total;
      phases[name] = total - counted0;
      counted0 = total;
    };

    const matches = await connector.match(contacts.map((c) => ({ hubspotId: c.id, email: c.properties.email ?? null })));
    phase('login, /limits and matching');
    const updates = [];
    const creates = [];
    for (const [hubspotId, { contact, evaluation }] of evaluations) {
      const match = matches.get(hubspotId) as MatchResult;
      const desired = pushFields(evaluation, mappings);
      if (match.record) {
        const fields = diff(match, desired, sf.externalIdField);
        if (Object.keys(fields).length > 0) updates.push({ key: hubspotId, sobject: match.record.sobject, id: match.record.id, fields });
      } else if (evaluation.mql) {
        creates.push({ key: hubspotId, fields: { ...newLeadFields(contact, mappings), ...desired } });
      }
    }
    const updated = await connector.updateRecords(updates);
    phase('updates');
    const created = await connector.createLeads(creates);
    phase('new Leads');
    const recordOf = new Map<string, string>();
    for (const [id, m] of matches) if (m.record) recordOf.set(id, m.record.id);
    for (const r of created) if (r.ok && r.id) recordOf.set(r.key, r.id);
    const tasks: TaskRequest[] = [];
    for (const [hubspotId, { evaluation }] of evaluations) {
      const whoId = recordOf.get(hubspotId);
      if (!evaluation.mql || !whoId) continue;
      const slaHours = mappings.routing.defaults.slaHours[evaluation.tier ?? ''] ?? 24;
      tasks.push({
        key: `lsync:${hubspotId}:${Date.parse(ANCHOR)}`,
        fields: {
          WhoId: whoId,
          OwnerId: mappings.routing.defaults.taskOwnerId,
          Subject: `MQL follow-up (tier ${evaluation.tier ?? '-'}): ${evaluation.serviceLineLabel}`,
          ActivityDate: new Date(Date.parse(ANCHOR) + slaHours * 3_600_000).toISOString().slice(0, 10),
          Priority: evaluation.priority ?? 'Normal',
          Description: evaluation.reasons.map((r) => r.detail).join('\n'),
        },
      });
    }
    const ensured = await connector.ensureTasks(tasks);
    phase('tasks');
    let outcomes = 0;
    for (const sobject of ['Lead', 'Contact'] as const) {
      for await (const page of connector.outcomesSince(sobject, null)) outcomes += page.changes.length;
    }
    phase('outcomes (Lead, Contact)');
    const elapsedMs = Date.now() - started;

    const counted = sim.control.stats().requests;
    const after = (await callTotals()).salesforce;
    const ours = after.total - before.total;
    const via = [...matches.values()].reduce<Record<string, number>>((acc, m) => ({ ...acc, [m.via]: (acc[m.via] ?? 0) + 1 }), {});
    const ambiguous = [...matches.values()].filter((m) => m.ambiguous.length > 0).length;
    const mqls = [...evaluations.values()].filter((e) => e.evaluation.mql).length;
    const failures = [...updated, ...created, ...ensured].filter((r) => !r.ok);
    const budget = Math.ceil((BUDGET_PER_1000 * count) / 1000);
    console.log(`Salesforce calls for ${count} contacts (${seeded} seeded records; matched ${JSON.stringify(via)}, ${ambiguous} ambiguous; ${mqls} MQLs):`);
    console.log(`  ${updates.length} records updated, ${created.filter((r) => r.ok && r.created).length} Leads created, ${ensured.filter((r) => r.ok && r.created).length} tasks created, ${outcomes} outcome rows read, ${failures.length} record failures`);
    for (const [endpoint, n] of Object.entries(counted.byEndpoint).sort()) console.log(`  ${String(n).padStart(4)}  ${endpoint}`);
    console.log(`  ${String(counted.total).padStart(4)}  total (simulator count; the connector counted ${ours})`);
    console.log('By phase:');
    for (const [name, n] of Object.entries(phases)) console.log(`  ${String(n).padStart(4)}  ${name}`);
    console.log(`Budget ${budget}: ${counted.total <= budget ? 'met' : 'NOT met'}; ${elapsedMs} ms`);
    for (const f of failures.slice(0, 5)) console.log(`  failure: ${f.ok ? '' : `${f.code} ${f.message}`}`);
    const file = writeResult('salesforce-calls', {
      contacts: count,
      seededRecords: seeded,
      matchedVia: via,
      ambiguous,
      mqls,
      recordsUpdated: updates.length,
      leadsCreated: created.filter((r) => r.ok && r.created).length,
      tasksCreated: ensured.filter((r) => r.ok && r.created).length,
      outcomeRows: outcomes,
      recordFailures: failures.map((f) => (f.ok ? '' : f.code)),
      calls: counted.total,
      callsCountedByConnector: ours,
      byEndpoint: counted.byEndpoint,
      byPhase: phases,
      byOutcome: counted.byOutcome,
      budget,
      withinBudget: counted.total <= budget,
      elapsedMs,
    });
    console.log(`Written to ${file}`);
    if (counted.total > budget) process.exitCode = 1;
  } finally {
    const keys = await redis.keys(`${keyPrefix}:*`).catch(() => []);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    sim.control.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
