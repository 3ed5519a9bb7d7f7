#!/usr/bin/env node
/**
 * Bundles the admin console (src/console: Preact + htm, Chart.js) into dist/console with
 * esbuild: index.html, assets/app.js and assets/app.css. Everything the page loads comes from
 * these files on the service's own origin; nothing is fetched from elsewhere at run time.
 * Type-checking is `npm run typecheck`'s job (src/console/tsconfig.json): esbuild only strips.
 */
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'src', 'console');

async function buildConsole(outDir = path.join(root, 'dist', 'console')) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { app: path.join(source, 'main.ts') },
    outdir: path.join(outDir, 'assets'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    metafile: true,
  });
  fs.copyFileSync(path.join(source, 'index.html'), path.join(outDir, 'index.html'));
  return Object.fromEntries(Object.entries(result.metafile.outputs).map(([file, out]) => [path.relative(outDir, path.resolve(root, file)), out.bytes]));
}

if (require.main === module) {
  buildConsole().then(
    (outputs) => {
      const sizes = Object.entries(outputs).filter(([file]) => !file.endsWith('.map')).map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(0)} KB`);
      console.log(`console built into dist/console: ${sizes.join(', ')}`);
    },
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}

module.exports = { buildConsole };
