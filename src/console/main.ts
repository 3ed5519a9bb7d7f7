/**
 * The admin console: signs in with the admin token (kept by the server in an http-only
 * cookie), then shows five pages chosen by the URL's hash (#/health, #/backfills,
 * #/funnel, #/explain, #/definitions). Nothing is fetched before the API accepts the session.
 */
import { html } from 'htm/preact';
import { render, type VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, onUnauthorized, signOut } from './api';
import { BackfillsPage } from './pages/backfills';
import { DefinitionsPage } from './pages/definitions';
import { ExplainPage } from './pages/explain';
import { FunnelPage } from './pages/funnel';
import { HealthPage } from './pages/health';
import { LoginPage } from './pages/login';
import './styles.css';

const PAGES = [
  { path: 'health', title: 'Health' },
  { path: 'backfills', title: 'Backfills' },
  { path: 'funnel', title: 'Funnel' },
  { path: 'explain', title: 'Explain a contact' },
  { path: 'definitions', title: 'Definitions' },
] as const;
type PagePath = (typeof PAGES)[number]['path'];

/** `#/backfills/<id>` -> { page: 'backfills', rest: ['<id>'] } */
function parseHash(hash: string): { page: PagePath; rest: string[] } {
  const [page, ...rest] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const known = PAGES.find((p) => p.path === page);
  return { page: known?.path ?? 'health', rest: known ? rest.filter(Boolean) : [] };
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

type Session = { state: 'checking' } | { state: 'out'; notice?: string } | { state: 'in' } | { state: 'disabled'; message: string };

function App(): VNode {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const hash = useHash();
  const route = parseHash(hash);

  useEffect(() => {
    api('/admin/status').then(
      () => setSession({ state: 'in' }),
      (error: unknown) => setSession(error instanceof ApiError && error.status === 503 ? { state: 'disabled', message: error.message } : { state: 'out' }),
    );
    return onUnauthorized(() => setSession((s) => (s.state === 'in' ? { state: 'out', notice: 'Your session ended. Sign in again.' } : s)));
  }, []);

  // After moving to another page, land keyboard and screen-reader users on its heading; the
  // first page shown keeps focus at the top, where Tab reaches the skip link and the pages.
  const shownPage = useRef<string | undefined>(undefined);
  useEffect(() => {
    const page = PAGES.find((p) => p.path === route.page);
    document.title = `${page?.title ?? 'Console'} · lifecycle-sync`;
    if (session.state !== 'in') return;
    if (shownPage.current !== undefined && shownPage.current !== route.page) document.getElementById('page-title')?.focus();
    shownPage.current = route.page;
  }, [route.page, session.state]);

  if (session.state === 'checking') return html`<main class="center"><p class="muted">Loading…</p></main>`;
  if (session.state === 'disabled') return html`<main class="center"><p class="notice bad" role="alert">${session.message}</p></main>`;
  if (session.state === 'out') return html`<${LoginPage} notice=${session.notice} onSignedIn=${() => setSession({ state: 'in' })} />`;

  const logout = async () => {
    await signOut();
    setSession({ state: 'out', notice: 'Signed out.' });
  };
  return html`
    <a class="skip" href="#page-title" onClick=${(e: Event) => (e.preventDefault(), document.getElementById('page-title')?.focus())}>Skip to content</a>
    <header class="top">
      <div class="brand">lifecycle-sync <span class="muted">console</span></div>
      <nav aria-label="Pages">
        <ul>
          ${PAGES.map((p) => html`<li><a href=${`#/${p.path}`} aria-current=${route.page === p.path ? 'page' : undefined}>${p.title}</a></li>`)}
        </ul>
      </nav>
      <button type="button" class="secondary" onClick=${logout}>Sign out</button>
    </header>
    <main id="main">
      ${route.page === 'health' && html`<${HealthPage} />`}
      ${route.page === 'backfills' && html`<${BackfillsPage} id=${route.rest[0]} />`}
      ${route.page === 'funnel' && html`<${FunnelPage} />`}
      ${route.page === 'explain' && html`<${ExplainPage} id=${route.rest[0]} />`}
      ${route.page === 'definitions' && html`<${DefinitionsPage} />`}
    </main>
  `;
}

render(html`<${App} />`, document.getElementById('app')!);
