// Installs Node 24 and code-server into the cache folder (outside the repository) if missing.
import { ensureCodeServer } from './lib/codeServer.mjs';

const bin = ensureCodeServer((message) => console.log(message));
console.log(`code-server ready: ${bin}`);
