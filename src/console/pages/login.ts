/** Sign-in: the admin token, checked by the server and kept in an http-only cookie. */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { signIn } from '../api';
import { useAction } from '../hooks';

export function LoginPage(p: { notice?: string; onSignedIn: () => void }): VNode {
  const [token, setToken] = useState('');
  const action = useAction(async (value: string) => (await signIn(value), true));
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await action.run(token)) p.onSignedIn();
  };
  return html`
    <main class="center">
      <form class="card login" onSubmit=${submit} aria-labelledby="login-title" action="/console/login" method="post">
        <h1 id="login-title" tabindex="-1">lifecycle-sync console</h1>
        <p class="muted">Sign in with the service's admin token (ADMIN_TOKEN).</p>
        ${p.notice && html`<p class="notice" role="status">${p.notice}</p>`}
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required value=${token} onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)} autofocus />
        ${action.error && html`<p class="notice bad" role="alert" data-testid="login-error">${action.error}</p>`}
        <button type="submit" disabled=${action.busy || token.length === 0}>${action.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  `;
}
