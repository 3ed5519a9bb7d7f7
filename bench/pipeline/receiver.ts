/**
 * The webhook receiver alone: signed POSTs to the API process's /webhooks/hubspot with
 * autocannon, one new event per request (a property change of a random seeded contact), no
 * worker consuming the queue. Counts the 2xx answers per second and their latency.
 */
import autocannon from 'autocannon';
import { signV3 } from '../../connectors/hubspot';
import { contactIdOf } from '../../sandbox/dataset';
import type { Deployment } from './deployment';
import { WEBHOOK_SECRET } from './service-env';

export interface ReceiverRun {
  seconds: number;
  connections: number;
  requests: number;
  accepted: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

export async function runReceiver(deployment: Deployment, options: { seconds: number; connections: number; contacts: number }): Promise<ReceiverRun> {
  const path = '/webhooks/hubspot';
  const uri = `${deployment.apiUrl}${path}`;
  let eventId = 9_000_000_000;
  const result = await autocannon({
    url: deployment.apiUrl,
    connections: options.connections,
    duration: options.seconds,
    requests: [{
      method: 'POST',
      path,
      setupRequest: (request) => {
        const id = eventId++;
        const objectId = Number(contactIdOf(id % options.contacts));
        const body = JSON.stringify([{
          eventId: id, subscriptionId: 2101003, portalId: 62515000, appId: 1160452, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange',
          attemptNumber: 0, objectId, propertyName: 'jobtitle', propertyValue: 'Director of Quality', changeSource: 'CRM_UI',
        }]);
        const timestamp = String(Date.now());
        return {
          ...request,
          body,
          headers: {
            'Content-Type': 'application/json',
            'X-HubSpot-Signature-v3': signV3(WEBHOOK_SECRET, 'POST', uri, body, timestamp),
            'X-HubSpot-Signature-Version': 'v3',
            'X-HubSpot-Request-Timestamp': timestamp,
          },
        };
      },
    }],
  });
  return {
    seconds: result.duration,
    connections: options.connections,
    requests: result.requests.total,
    accepted: result['2xx'],
    requestsPerSecond: Math.round(result['2xx'] / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
