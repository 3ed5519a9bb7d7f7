/** `lifecycle-sync definition check [PATH]`: validate a definition file and summarise it. */
import type { Command } from 'commander';
import type { CompiledDefinition } from '../../domain/definition/compile';
import { DEFAULT_DEFINITION_PATH, displayPath, loadDefinition } from '../../mappings/load-definition';

export function summarise(def: CompiledDefinition): string {
  const s = def.source;
  const lines = [...def.lines.values()].map((l) => `${l.key} (fit >= ${l.thresholds.fit}, engagement >= ${l.thresholds.engagement})`);
  return [
    `version ${s.version}`,
    `  fit rules: ${s.fit.rules.length}; engagement types: ${Object.keys(s.engagement.types).length}, refinements: ${s.engagement.refinements.length}; exclusions: ${s.exclusions.length}`,
    `  MQL when fit >= ${s.thresholds.fit} and engagement >= ${s.thresholds.engagement}; half-life ${s.engagement.halfLifeDays} days; look-back ${s.lookbackDays} days`,
    `  hysteresis: leave below engagement ${s.hysteresis.exitEngagement} after ${s.hysteresis.minDaysInMql} days`,
    `  tiers: ${s.tiers.map((t) => `${t.name}${t.minTotal !== undefined ? ` (total >= ${t.minTotal})` : ''}`).join(', ')}`,
    `  high intent: ${s.highIntent ? `${s.highIntent.types.join(', ')} within ${s.highIntent.withinDays} days -> ${s.highIntent.status}` : 'off'}`,
    `  service lines (default ${def.defaultLine}): ${lines.join('; ')}`,
  ].join('\n');
}

export function registerDefinition(program: Command): void {
  const definition = program.command('definition').description('work with MQL definition files');
  definition
    .command('check')
    .description('validate a definition file and print a summary')
    .argument('[path]', 'definition file', DEFAULT_DEFINITION_PATH)
    .action((file: string) => {
      const def = loadDefinition(file);
      process.stdout.write(`${displayPath(file)}: OK\n${summarise(def)}\n`);
    });
}
