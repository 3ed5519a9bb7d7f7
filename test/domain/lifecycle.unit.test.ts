import { evaluate } from '../../src/domain/evaluate';
import { applyTransition, canTransition, INITIAL_STATE, serviceTransition, type LifecycleState } from '../../src/domain/lifecycle';
import { InvalidTransitionError } from '../../src/domain/errors';
import { LIFECYCLE_STAGES } from '../../src/domain/types';
import { loadDefinition } from '../../src/mappings/load-definition';
import { contact, daysAgo, examples, NOW } from '../fixtures/worked-examples';

const def = loadDefinition();
const mqlSince = (days: number): LifecycleState => ({ stage: 'mql', since: daysAgo(days), mqlDate: daysAgo(days), reason: null });

describe('lifecycle state machine', () => {
  test('the service may only qualify and recycle', () => {
    for (const from of LIFECYCLE_STAGES) {
      for (const to of LIFECYCLE_STAGES) {
        const allowed = canTransition(from, to, 'service');
        const expected = (to === 'mql' && (from === 'lead' || from === 'recycled')) || (from === 'mql' && to === 'recycled');
        expect([from, to, allowed]).toEqual([from, to, expected]);
      }
    }
  });

  test('sales can never set MQL; invalid transitions throw and change nothing', () => {
    const state = mqlSince(3);
    expect(() => applyTransition(state, { actor: 'sales', to: 'mql', at: NOW })).toThrow(InvalidTransitionError);
    expect(() => applyTransition({ ...state, stage: 'sql' }, { actor: 'sales', to: 'sales_accepted', at: NOW })).toThrow(/sql -> sales_accepted as sales/);
    expect(state.stage).toBe('mql');
  });

  test('disqualify and recycle need a reason', () => {
    expect(() => applyTransition(mqlSince(1), { actor: 'sales', to: 'disqualified', at: NOW })).toThrow(/a reason is required/);
  });

  test('re-reading the same sales outcome is a no-op', () => {
    const dq: LifecycleState = { stage: 'disqualified', since: daysAgo(2), mqlDate: daysAgo(9), reason: 'Duplicate' };
    expect(applyTransition(dq, { actor: 'sales', to: 'disqualified', at: NOW, reason: 'Duplicate' })).toBe(dq);
  });

  test('qualifying starts an episode dated by the evaluation', () => {
    const result = evaluate(def, examples[2].contact, examples[2].activities, NOW);
    const t = serviceTransition(def, INITIAL_STATE, result)!;
    expect(applyTransition(INITIAL_STATE, t)).toEqual({ stage: 'mql', since: NOW, mqlDate: NOW, reason: null });
  });

  describe('hysteresis', () => {
    const c = contact({ id: '7', organizationType: 'biotech', jobFunction: 'qa_qc' });
    const fading = (days: number) => evaluate(def, c, [{ type: 'webinar_attendance', at: daysAgo(days) }, { type: 'content_download', at: daysAgo(days) }], NOW);

    test('an MQL below the entry bar but above the exit bar stays an MQL', () => {
      const result = fading(40); // ~30 points decayed to ~16: below 20, above 10
      expect(result.mql).toBe(false);
      expect(result.score.engagement).toBeGreaterThan(10);
      expect(serviceTransition(def, mqlSince(40), result)).toBeNull();
    });

    test('no recycle before minDaysInMql even when engagement is gone', () => {
      const result = evaluate(def, c, [], NOW);
      expect(serviceTransition(def, mqlSince(5), result)).toBeNull();
    });

    test('recycled by decay once below the exit bar and past the minimum days', () => {
      const result = fading(120);
      expect(serviceTransition(def, mqlSince(120), result)).toMatchObject({ to: 'recycled', reason: expect.stringMatching(/Engagement decayed to [\d.]+ \(exit threshold 10\)/) });
    });

    test('an MQL that becomes excluded is recycled at once', () => {
      const result = evaluate(def, { ...c, jobTitle: 'PhD Student' }, [], NOW);
      expect(serviceTransition(def, mqlSince(1), result)).toMatchObject({ to: 'recycled', reason: 'Excluded: Student with no purchasing path' });
    });

    test('a recycled lead re-qualifies only on engagement newer than its recycling', () => {
      const recycled: LifecycleState = { stage: 'recycled', since: daysAgo(3), mqlDate: daysAgo(60), reason: 'Timeline mismatch' };
      const old = evaluate(def, c, [{ type: 'demo_request', at: daysAgo(5) }, { type: 'content_download', at: daysAgo(5) }], NOW);
      expect(old.mql).toBe(true);
      expect(serviceTransition(def, recycled, old)).toBeNull();
      const fresh = evaluate(def, c, [{ type: 'demo_request', at: daysAgo(1) }], NOW);
      expect(serviceTransition(def, recycled, fresh)).toMatchObject({ to: 'mql' });
    });
  });
});
