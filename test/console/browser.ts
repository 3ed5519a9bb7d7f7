/**
 * Headless Chromium for the console tests: Debian's chromium driven by playwright-core (no
 * browser download), with the flags this machine needs (no background networking), every
 * requested URL recorded, page errors and CSP violations collected, screenshots saved under
 * test/artifacts/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags this machine needs: no background networking (its connections are refused here). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const ARTIFACTS = path.resolve(__dirname, '../artifacts');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface ConsoleBrowser {
  /** Every URL any page requested, in order. */
  requests: string[];
  /** Console errors, uncaught page errors and CSP violations, with the page's URL. */
  problems: string[];
  /** A fresh context (no cookies) and page at this viewport. */
  open(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** Each launch gets a fresh temporary profile (playwright's own --user-data-dir), removed on close. */
export async function launchBrowser(): Promise<ConsoleBrowser> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
  const requests: string[] = [];
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    requests,
    problems,
    async open(viewport) {
      const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
      contexts.push(context);
      const page = await context.newPage();
      page.on('request', (request) => requests.push(request.url()));
      page.on('pageerror', (error) => problems.push(`page error at ${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        // 401s are expected while signed out or with a wrong token; the tests check those answers themselves.
        if (message.type() === 'error' && !/status of 401/.test(message.text())) problems.push(`console error at ${page.url()}: ${message.text()}`);
      });
      return { context, page };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `console-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The few browser globals the helpers below read, typed here: this file is compiled with the
 * Node tsconfig (no DOM lib); the functions run in the page, where these exist.
 */
interface PageElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  labels?: ArrayLike<{ textContent: string | null }> | null;
}
interface PageGlobals {
  document: { documentElement: { scrollWidth: number; clientWidth: number }; activeElement: PageElement | null };
  getComputedStyle(element: PageElement): { outlineStyle: string; outlineWidth: string };
}

/** How far the page scrolls sideways (0 when everything fits the viewport's width). */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return document.documentElement.scrollWidth - document.documentElement.clientWidth;
  });

/** The focused element: its id, its name (aria-label, label or text) and whether a focus outline shows. */
export const focusedElement = (page: Page): Promise<{ id: string; name: string; outline: boolean }> =>
  page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const el = g.document.activeElement;
    if (!el) return { id: '', name: '', outline: false };
    const style = g.getComputedStyle(el);
    const name = el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '';
    return { id: el.id, name: name.trim(), outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
  });
