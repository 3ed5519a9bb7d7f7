/**
 * npm run bench:evaluate -- [--contacts N] [--activities K]
 * Scores N generated contacts with ~K activities each on one core and prints contacts/s and
 * peak RSS. The inputs are generated before the clock starts; only evaluate() is timed.
 */
import { Command } from 'commander';
import { evaluate } from '../src/domain/evaluate';
import { ACTIVITY_TYPES, type Activity, type Contact } from '../src/domain/types';
import { loadDefinition } from '../src/mappings/load-definition';
import { writeResult } from './results';

const ORGS = ['biotech', 'pharma', 'cdmo', 'cro', 'academic', 'hospital', 'diagnostics', 'distributor', 'medtech', null];
const FUNCTIONS = ['rnd', 'qa_qc', 'regulatory', 'manufacturing', 'process_development', 'procurement', 'lab_operations', null];
const TITLES = ['Director of Quality', 'Lab Technician', 'Scientist', 'VP Manufacturing', 'QC Analyst', 'PhD Student', null];
const DOMAINS = ['gmail.com', 'acme-bio.com', 'northbridge.com', 'uni-heidelberg.de', 'helix.io'];
const URLS = ['https://x.com/pricing', 'https://x.com/gmp/validation', 'https://x.com/services/tech-transfer', 'https://x.com/blog/ngs', 'https://x.com/about', 'https://x.com/devices/workflow'];
const TEXT = ['Quality Systems Guide', 'Tech transfer inquiry', 'Single-cell sequencing webinar', 'Newsletter', 'Device workflow overview'];

/** A tiny deterministic PRNG so every run scores the same inputs. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(count: number, activitiesPerContact: number, now: number, seed = 1): Array<{ contact: Contact; activities: Activity[] }> {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const contact: Contact = {
      id: String(i + 1), email: `p${i}@${pick(DOMAINS)}`, firstName: 'A', lastName: 'B', jobTitle: pick(TITLES),
      jobFunction: pick(FUNCTIONS), company: rand() < 0.9 ? 'Co' : null, organizationType: pick(ORGS),
      employees: Math.floor(rand() * 5000), country: 'US', serviceLine: rand() < 0.3 ? pick(['cdmo_services', 'genomics_platform', 'medical_devices']) : null,
      properties: {},
    };
    const n = Math.max(0, Math.round(activitiesPerContact * (0.5 + rand())));
    const activities: Activity[] = Array.from({ length: n }, (_, j) => {
      const a: Activity = { type: pick(ACTIVITY_TYPES), at: new Date(now - Math.floor(rand() * 400 * 86_400_000)).toISOString(), id: `a${i}-${j}` };
      if (rand() < 0.5) a.url = pick(URLS);
      if (rand() < 0.5) a.title = pick(TEXT);
      return a;
    });
    return { contact, activities };
  });
}

export function runEvaluateBench(contacts: number, activitiesPerContact: number) {
  const def = loadDefinition();
  const now = Date.parse('2026-11-20T00:00:00Z');
  const inputs = generate(contacts, activitiesPerContact, now);
  let peakRss = process.memoryUsage().rss;
  for (const { contact, activities } of inputs.slice(0, 2000)) evaluate(def, contact, activities, new Date(now)); // warm-up
  let mqls = 0;
  const started = process.hrtime.bigint();
  inputs.forEach(({ contact, activities }, i) => {
    if (evaluate(def, contact, activities, new Date(now)).mql) mqls++;
    if (i % 10_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { contacts, activitiesPerContact, seconds, contactsPerSecond: Math.round(contacts / seconds), mqlRate: mqls / contacts, peakRssMb: Math.round(peakRss / 1048576) };
}

if (require.main === module) {
  const opts = new Command()
    .option('--contacts <n>', 'contacts to score', '100000')
    .option('--activities <k>', 'average activities per contact', '30')
    .parse()
    .opts<{ contacts: string; activities: string }>();
  const result = runEvaluateBench(Number(opts.contacts), Number(opts.activities));
  console.log(`evaluate: ${result.contacts} contacts x ~${result.activitiesPerContact} activities in ${result.seconds.toFixed(2)} s`);
  console.log(`  ${result.contactsPerSecond.toLocaleString('en')} contacts/s on one core; MQL rate ${(result.mqlRate * 100).toFixed(1)}%; peak RSS ${result.peakRssMb} MB`);
  console.log(`  written to ${writeResult('evaluate', result)}`);
}
