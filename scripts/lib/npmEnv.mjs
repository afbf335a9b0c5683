// The environment for installs started from inside an npm script (`npm start`, `npm test`).
// The outer npm exports its own variables to its children; a nested `npm install` inherits them.
// code-server's postinstall reads the Node version from `npm_config_user_agent` (the outer npm's,
// node v20) and refuses to install even with Node 24 first on PATH, and `npm_config_*` values
// would also override the nested install's own options. So every nested install gets an
// environment without them.
const PREFIXES = ['npm_config_', 'npm_lifecycle_', 'npm_package_'];
const NAMES = new Set(['npm_execpath', 'npm_node_execpath', 'init_cwd', 'npm_command']);

/** Whether `name` is one of npm's own variables (npm reads them in any case). */
function isNpmVariable(name) {
  const lower = name.toLowerCase();
  return NAMES.has(lower) || PREFIXES.some((p) => lower.startsWith(p));
}

/** A copy of `env` without npm's own variables, plus `extra`. */
export function scrubNpmEnv(env = process.env, extra = {}) {
  const clean = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !isNpmVariable(name)) clean[name] = value;
  return { ...clean, ...extra };
}
