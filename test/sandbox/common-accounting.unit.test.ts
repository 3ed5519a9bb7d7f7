import express from 'express';
import request from 'supertest';
import { normaliseEndpoint, OUTCOME_NO_RESPONSE, RequestAccounting, setOutcome, statusClass } from '../../sandbox/common/accounting';

describe('request accounting', () => {
  it('normalises ids out of endpoints', () => {
    expect(normaliseEndpoint('get', '/crm/v3/objects/contacts/12345')).toBe('GET /crm/v3/objects/contacts/{id}');
    expect(normaliseEndpoint('PATCH', '/sobjects/Lead/00Q5g00000AbCdEFGH')).toBe('PATCH /sobjects/Lead/{id}');
    expect(normaliseEndpoint('GET', '/x/0a1b2c3d-0000-4000-8000-1234567890ab')).toBe('GET /x/{uuid}');
    expect(normaliseEndpoint('POST', '/composite/sobjects')).toBe('POST /composite/sobjects');
    expect(statusClass(204)).toBe('2xx');
  });

  it('counts by endpoint and outcome, skips control paths, and resets', async () => {
    const accounting = new RequestAccounting('test');
    const app = express();
    app.use(accounting.middleware());
    app.get('/items/:id', (req, res) => {
      if (req.params.id === '2') {
        setOutcome(res, 'NOT_FOUND');
        res.status(404).json({ message: 'no' });
      } else res.json({ ok: true });
    });
    app.get('/__sandbox/stats', (_req, res) => res.json(accounting.snapshot()));
    app.get('/drop', (req) => req.socket.destroy());

    await request(app).get('/items/1').expect(200);
    await request(app).get('/items/3').expect(200);
    await request(app).get('/items/2').expect(404);
    await request(app).get('/__sandbox/stats').expect(200);
    await expect(request(app).get('/drop')).rejects.toThrow();
    await new Promise((r) => setImmediate(r));

    const snap = accounting.snapshot();
    expect(snap.system).toBe('test');
    expect(snap.total).toBe(4);
    expect(snap.byEndpoint).toEqual({ 'GET /items/{id}': 3, 'GET /drop': 1 });
    expect(snap.byOutcome).toEqual({ '2xx': 2, NOT_FOUND: 1, [OUTCOME_NO_RESPONSE]: 1 });
    expect(snap.rows).toContainEqual({ endpoint: 'GET /items/{id}', outcome: '2xx', count: 2 });

    accounting.reset();
    expect(accounting.snapshot().total).toBe(0);
    expect(accounting.snapshot().rows).toEqual([]);
  });
});
