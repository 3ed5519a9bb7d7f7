// Lets `node -r ./test/chaos/register-ts.js src/cli/main.ts` run the TypeScript sources as
// they are (transpiled on load, like ts-jest, without type checks): the chaos test starts
// worker processes from the sources under test, not from a dist/ that may be stale.
// Transpiled files are cached by path, size and mtime, so a restarted worker starts quickly.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cacheDir = path.join(os.tmpdir(), 'lsync-ts-cache');
let ts;

function transpile(filename, source) {
  ts ??= require('typescript');
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true };
  return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const stat = fs.statSync(filename);
  const key = crypto.createHash('sha1').update(`${filename}:${stat.size}:${stat.mtimeMs}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(filename, fs.readFileSync(filename, 'utf8'));
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written under a unique name and renamed, so two processes never read half a file.
    const temp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temp, output);
    fs.renameSync(temp, cached);
  }
  module._compile(output, filename);
};
