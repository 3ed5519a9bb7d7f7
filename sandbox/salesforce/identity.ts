/**
 * `GET /id/{orgId}/{userId}`: the identity URL returned by every token answer, which
 * jsforce's `conn.identity()` calls (a common connection check). Needs a live session.
 */
import express, { type Request, type Response, type Router } from 'express';
import { invalidSession, notFound } from './errors';
import { normaliseId } from './ids';
import { bearerToken, type Sessions } from './sessions';
import type { SalesforceStore } from './store';

export function identityRouter(store: SalesforceStore, sessions: Sessions, orgId: string): Router {
  const router = express.Router();
  router.get('/:orgId/:userId', (req: Request, res: Response) => {
    if (!sessions.check(bearerToken(req.get('authorization')))) throw invalidSession();
    const userId = normaliseId(String(req.params.userId));
    const user = userId ? store.table('User').get(userId) : undefined;
    if (!user || normaliseId(String(req.params.orgId)) !== orgId) throw notFound();
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.json({
      id: `${base}/id/${orgId}/${userId}`,
      asserted_user: true,
      user_id: userId,
      organization_id: orgId,
      username: user.Username,
      nick_name: String(user.Username).split('@')[0],
      display_name: user.Name,
      email: user.Email,
      first_name: user.FirstName,
      last_name: user.LastName,
      active: user.IsActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      urls: {
        rest: `${base}/services/data/v{version}/`,
        sobjects: `${base}/services/data/v{version}/sobjects/`,
        query: `${base}/services/data/v{version}/query/`,
      },
    });
  });
  return router;
}
