// Imported first by the extension entry. zod's JIT probe reads the global `navigator`, which
// VS Code's extension host reports as an error (PendingMigrationError) on every activation;
// without the JIT zod never reads it. The usage log's hot path is a hand-written check that
// zod only backs up, so the extension loses little; the headless command keeps the JIT.
import * as z from 'zod';

z.config({ jitless: true });
