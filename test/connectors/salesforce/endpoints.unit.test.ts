/** Endpoint labels for accounting, and what error messages may show. */
import { redact } from '../../../connectors/salesforce/classify';
import { endpointOf } from '../../../connectors/salesforce/endpoints';

describe('endpointOf', () => {
  it.each([
    ['GET', 'https://x.my.salesforce.com/services/data/v60.0/query?q=SELECT+Id+FROM+Lead', 'GET /query'],
    ['GET', 'https://x.my.salesforce.com/services/data/v60.0/query/01gD0000002HU6KIAW-2000', 'GET /query/{locator}'],
    ['GET', 'https://x.my.salesforce.com/services/data/v60.0/queryAll?q=x', 'GET /queryAll'],
    ['PATCH', 'https://x.my.salesforce.com/services/data/v60.0/composite/sobjects', 'PATCH /composite/sobjects'],
    ['GET', 'https://x.my.salesforce.com/services/data/v60.0/sobjects/Lead/describe', 'GET /sobjects/Lead/describe'],
    ['GET', 'https://x.my.salesforce.com/services/data/v60.0/sobjects/Lead/00Q5g00000AbCdEFGH', 'GET /sobjects/Lead/{id}'],
    ['POST', 'https://login.salesforce.com/services/oauth2/token', 'POST /services/oauth2/token'],
    ['GET', 'https://login.salesforce.com/id/00D5g000004ABCDEAY/0055g00000AbCdEAAV?format=json', 'GET /id/{id}/{id}'],
    ['GET', 'https://x.my.salesforce.com/services/data/v60.0', 'GET /'],
  ])('%s %s -> %s', (method, url, label) => {
    expect(endpointOf(method, url)).toBe(label);
  });
});

describe('redact', () => {
  it('hides values Salesforce echoes, keeps field and object names', () => {
    expect(redact('MQL Reasons: data value too large: +25 Demo request\n+10 Webinar (max length=255)')).toBe('MQL Reasons: data value too large: [value hidden] (max length=255)');
    expect(redact('Email: invalid email address: jane..doe@example')).toBe('Email: invalid email address: [value hidden]');
    expect(redact("\nEmail IN ('jane.doe@helix.example')\n^\nERROR at Row:1:Column:40\nNo such column 'Emial' on entity 'Lead'")).toBe(
      "\nEmail IN ('[email hidden]')\n^\nERROR at Row:1:Column:40\nNo such column 'Emial' on entity 'Lead'",
    );
  });
});
