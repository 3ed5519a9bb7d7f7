/** The matching rule without HTTP. */
import fc from 'fast-check';
import { decideMatch, oldestFirst } from '../../../connectors/salesforce/match-rule';
import type { SalesforceRecord } from '../../../connectors/ports';

const rec = (sobject: 'Lead' | 'Contact', id: string, fields: Record<string, unknown>): SalesforceRecord => ({
  sobject,
  id,
  fields: { Id: id, CreatedDate: '2026-01-01T00:00:00.000+0000', ...(sobject === 'Lead' ? { IsConverted: false } : {}), ...fields },
});
const context = (records: SalesforceRecord[]) => ({
  externalIdField: 'HubSpot_Contact_Id__c',
  contactById: (id: string) => records.find((r) => r.sobject === 'Contact' && r.id === id),
});

describe('decideMatch', () => {
  it('prefers the external id over e-mail, and a Contact over a Lead at the external-id step', () => {
    const records = [
      rec('Lead', '00Q000000000001AAA', { HubSpot_Contact_Id__c: '7', Email: 'x@y.example' }),
      rec('Contact', '003000000000001AAA', { HubSpot_Contact_Id__c: '7' }),
      rec('Lead', '00Q000000000002AAA', { Email: 'x@y.example', CreatedDate: '2020-01-01T00:00:00.000+0000' }),
    ];
    expect(decideMatch({ hubspotId: '7', email: 'x@y.example' }, records, context(records))).toEqual({
      hubspotId: '7',
      record: records[1],
      via: 'external_id',
      ambiguous: [],
    });
  });

  it('at the e-mail step takes an unconverted Lead before a Contact, ignoring case', () => {
    const records = [rec('Contact', '003000000000001AAA', { Email: 'X@Y.example' }), rec('Lead', '00Q000000000001AAA', { Email: 'x@y.EXAMPLE' })];
    const result = decideMatch({ hubspotId: '7', email: ' x@y.example ' }, records, context(records));
    expect([result.via, result.record?.id]).toEqual(['email', '00Q000000000001AAA']);
  });

  it('picks the oldest CreatedDate, then the smallest Id, and records the others as ambiguous', () => {
    const records = [
      rec('Lead', '00Q000000000003AAA', { Email: 'a@b.example', CreatedDate: '2026-02-01T00:00:00.000+0000' }),
      rec('Lead', '00Q000000000002AAA', { Email: 'a@b.example', CreatedDate: '2026-01-01T00:00:00.000+0000' }),
      rec('Lead', '00Q000000000001AAA', { Email: 'a@b.example', CreatedDate: '2026-02-01T00:00:00.000+0000' }),
    ];
    const result = decideMatch({ hubspotId: '1', email: 'a@b.example' }, records, context(records));
    expect(result.record?.id).toBe('00Q000000000002AAA');
    expect(result.ambiguous).toEqual(['00Q000000000001AAA', '00Q000000000003AAA']);
  });

  it('follows a converted Lead to its Contact, and skips it when the Contact is gone', () => {
    const contact = rec('Contact', '003000000000009AAA', { Email: 'new@b.example' });
    const converted = rec('Lead', '00Q000000000001AAA', { Email: 'a@b.example', IsConverted: true, ConvertedContactId: contact.id });
    const result = decideMatch({ hubspotId: '1', email: 'a@b.example' }, [converted], context([converted, contact]));
    expect([result.via, result.record?.id]).toEqual(['converted', contact.id]);
    expect(decideMatch({ hubspotId: '1', email: 'a@b.example' }, [converted], context([converted])).via).toBe('none');
  });

  it('never takes by e-mail a record linked to another HubSpot contact', () => {
    const records = [rec('Lead', '00Q000000000001AAA', { Email: 'a@b.example', HubSpot_Contact_Id__c: '99' })];
    expect(decideMatch({ hubspotId: '1', email: 'a@b.example' }, records, context(records)).via).toBe('none');
  });

  it('is deterministic: the candidates\' order never changes the result', () => {
    const arb = fc.array(
      fc.record({
        lead: fc.boolean(),
        n: fc.integer({ min: 1, max: 30 }),
        day: fc.integer({ min: 1, max: 5 }),
        linked: fc.constantFrom(null, '1', '2'),
        email: fc.constantFrom('a@b.example', 'A@B.example', 'c@d.example'),
        converted: fc.boolean(),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(arb, fc.integer(), (specs, seed) => {
        const contacts = new Map<string, SalesforceRecord>();
        const records = specs.map((s) => {
          const id = `${s.lead ? '00Q' : '003'}${String(s.n).padStart(12, '0')}AAA`;
          return rec(s.lead ? 'Lead' : 'Contact', id, {
            Email: s.email,
            HubSpot_Contact_Id__c: s.linked,
            CreatedDate: `2026-01-0${s.day}T00:00:00.000+0000`,
            ...(s.lead && s.converted ? { IsConverted: true, ConvertedContactId: `003${String(s.n).padStart(12, '0')}AAA` } : {}),
          });
        });
        for (const r of records) if (r.sobject === 'Contact') contacts.set(r.id, r);
        const unique = [...new Map(records.map((r) => [r.id, r])).values()];
        const shuffled = fc.sample(fc.shuffledSubarray(unique, { minLength: unique.length }), { seed, numRuns: 1 })[0] as SalesforceRecord[];
        const ctx = { externalIdField: 'HubSpot_Contact_Id__c', contactById: (id: string) => contacts.get(id) };
        expect(decideMatch({ hubspotId: '1', email: 'a@b.example' }, shuffled, ctx)).toEqual(decideMatch({ hubspotId: '1', email: 'a@b.example' }, unique, ctx));
      }),
    );
  });
});

describe('oldestFirst', () => {
  it('puts records without CreatedDate last', () => {
    const a = rec('Lead', '00Q000000000001AAA', { CreatedDate: null });
    const b = rec('Lead', '00Q000000000002AAA', {});
    expect(oldestFirst([a, b]).map((r) => r.id)).toEqual([b.id, a.id]);
  });
});
