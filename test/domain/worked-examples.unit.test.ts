import { evaluate } from '../../src/domain/evaluate';
import { applyTransition, INITIAL_STATE, salesTransition, serviceTransition } from '../../src/domain/lifecycle';
import { loadDefinition } from '../../src/mappings/load-definition';
import { daysAgo, examples, NOW } from '../fixtures/worked-examples';

const def = loadDefinition();
const run = (n: 1 | 2 | 3 | 4 | 5) => evaluate(def, examples[n].contact, examples[n].activities, NOW);

describe('DOMAIN.md worked examples under the default definition', () => {
  test('1. quality-systems guide + validation webinar, no project date -> MQL, not SQL', () => {
    const result = run(1);
    expect(result.status).toBe('mql');
    expect(result.score.fit).toBeGreaterThanOrEqual(20);
    expect(result.score.engagement).toBeGreaterThanOrEqual(20);
    expect(result.serviceLine).toBe('cdmo_services');
    expect(result.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['engagement.refinement.quality-content', 'engagement.type.webinar_attendance']));
    // the service never produces a sales stage: only the lifecycle's sales transitions do
    const state = applyTransition(INITIAL_STATE, serviceTransition(def, INITIAL_STATE, result)!);
    expect(state.stage).toBe('mql');
  });

  test('2. director of manufacturing asking about tech transfer and method validation -> MQL tier A; SQL only when sales says so', () => {
    const result = run(2);
    expect(result).toMatchObject({ mql: true, tier: 'A', priority: 'High', serviceLine: 'cdmo_services' });
    expect(result.reasons[0]!.detail).toMatch(/Tech-transfer/);
    const mql = applyTransition(INITIAL_STATE, serviceTransition(def, INITIAL_STATE, result)!);
    const sql = applyTransition(mql, salesTransition({ kind: 'sql', at: daysAgo(-3) }));
    expect(sql).toMatchObject({ stage: 'sql', mqlDate: NOW });
  });

  test('3. demo request from a personal address with no company -> MQL at most (lowest tier, flagged), never SQL', () => {
    const result = run(3);
    expect(result).toMatchObject({ mql: true, status: 'mql', tier: 'C', priority: 'Low' });
    expect(result.score.fit).toBeLessThan(20);
    expect(result.reasons[0]).toMatchObject({ rule: 'highIntent' });
    expect(result.reasons.map((r) => r.detail)).toEqual(expect.arrayContaining(['Personal e-mail address', 'No company given']));
    expect(() => applyTransition(INITIAL_STATE, { actor: 'service', to: 'sql', at: NOW })).toThrow(/only sales/);
  });

  test('4. lab technician reading sample-handling and assay-validation pages -> below MQL', () => {
    const result = run(4);
    expect(result.status).toBe('not_mql');
    expect(result.score.fit).toBeLessThan(20);
    expect(result.reasons.map((r) => r.rule)).toContain('fit.junior-lab-role');
    expect(serviceTransition(def, INITIAL_STATE, result)).toBeNull();
  });

  test('4b. ...until a better-fit colleague engages the same way', () => {
    const colleague = { ...examples[4].contact, id: '204', jobTitle: 'QC Manager', jobFunction: 'qa_qc' };
    const extra = [{ type: 'content_download' as const, at: daysAgo(1), title: 'Assay validation checklist' }];
    expect(evaluate(def, colleague, [...examples[4].activities, ...extra], NOW).mql).toBe(true);
  });

  test('5. hospital purchasing assistant: workflow overview + setup webinar -> MQL on the device line', () => {
    const result = run(5);
    expect(result).toMatchObject({ mql: true, serviceLine: 'medical_devices' });
    expect(result.reasons.map((r) => r.rule)).toContain('fit.hospital-buyer');
    expect(result.discoveryTopics[0]).toMatch(/Site, department/);
  });

  test('6. sales disqualifies with "no active project"; recycled later; re-qualifies on new engagement', () => {
    const mql = applyTransition(INITIAL_STATE, { actor: 'service', to: 'mql', at: daysAgo(30) });
    const disqualified = applyTransition(mql, salesTransition({ kind: 'disqualified', at: daysAgo(20), reason: 'No active project' }));
    expect(disqualified).toMatchObject({ stage: 'disqualified', reason: 'No active project', since: daysAgo(20) });
    // engagement cannot override a sales decision
    expect(serviceTransition(def, disqualified, run(2))).toBeNull();
    const recycled = applyTransition(disqualified, salesTransition({ kind: 'recycled', at: daysAgo(10), reason: 'Timeline mismatch / too early' }));
    const requalify = serviceTransition(def, recycled, run(2));
    expect(requalify).toMatchObject({ actor: 'service', to: 'mql' });
    const again = applyTransition(recycled, requalify!);
    expect(again).toMatchObject({ stage: 'mql', mqlDate: NOW });
  });
});
