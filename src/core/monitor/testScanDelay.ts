// A hook for the integration tests, read from the environment (nothing in the settings).
/** Holds the scan process's walk instead (cli/scanProcess.ts): the process is running meanwhile. */
export const PROCESS_DELAY_ENV = 'WORKSPACE_USAGE_TEST_PROCESS_DELAY';

/**
 * For the integration tests only: WORKSPACE_USAGE_TEST_SCAN_DELAY="<marker>=<ms>" holds the first
 * scan of folders whose path contains <marker> for <ms> before it starts (cancellable like the
 * scan), so a test can see a long scan's progress and cancel it without a million-file fixture.
 * With `variable` PROCESS_DELAY_ENV, the same for the scan process's walk.
 */
export function testScanDelay(
  folder: string,
  signal: AbortSignal,
  variable = 'WORKSPACE_USAGE_TEST_SCAN_DELAY',
): Promise<void> {
  const setting = process.env[variable];
  const at = setting?.lastIndexOf('=') ?? -1;
  if (!setting || at <= 0 || !folder.includes(setting.slice(0, at))) return Promise.resolve();
  const ms = Number(setting.slice(at + 1));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, Number.isFinite(ms) ? ms : 0);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('scan cancelled'));
      },
      { once: true },
    );
  });
}
