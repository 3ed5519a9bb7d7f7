import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../src/mappings/load';

function withEdited(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lsync-map-'));
  for (const f of readdirSync(DEFAULT_MAPPINGS_DIR)) copyFileSync(path.join(DEFAULT_MAPPINGS_DIR, f), path.join(dir, f));
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

describe('mappings files', () => {
  test('the shipped mappings load', () => {
    const m = loadMappings();
    expect(m.fields.salesforce.externalIdField).toBe('HubSpot_Contact_Id__c');
    expect(m.reasons.statuses['Disqualified']).toBe('disqualified');
    expect(m.routing.defaults.slaHours['A']).toBe(4);
  });

  test('an unknown outcome in reasons.yaml names file, line, path and value', () => {
    const dir = withEdited('reasons.yaml', (t) => t.replace('"Recycled": recycled', '"Recycled": nurture'));
    expect(() => loadMappings({ dir })).toThrow(/reasons\.yaml:\d+ at statuses\.Recycled: .*expected one of .*\(got "nurture"\)/);
  });

  test('a bad Salesforce id in routing.yaml is refused', () => {
    const dir = withEdited('routing.yaml', (t) => t.replace('taskOwnerId: 0058a0000000003AAA', 'taskOwnerId: sales-team'));
    expect(() => loadMappings({ dir })).toThrow(/routing\.yaml:\d+ at rules\[0\]\.taskOwnerId: a 15- or 18-character Salesforce id \(got "sales-team"\)/);
  });

  test('a misspelt push key in fields.yaml is refused', () => {
    const dir = withEdited('fields.yaml', (t) => t.replace('    tier: MQL_Tier__c', '    tierr: MQL_Tier__c'));
    expect(() => loadMappings({ dir })).toThrow(/fields\.yaml:\d+ at salesforce\.push/);
  });

  test('a missing file names it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lsync-map-'));
    copyFileSync(path.join(DEFAULT_MAPPINGS_DIR, 'mql-definition.yaml'), path.join(dir, 'mql-definition.yaml'));
    expect(() => loadMappings({ dir })).toThrow(/fields\.yaml: file not found: check MAPPINGS_DIR/);
  });
});
