// A hook for the integration tests, read from the environment (nothing in the settings).
/**
 * For the integration tests only: WORKSPACE_USAGE_TEST_SCAN_DELAY="<marker>=<ms>" holds the first
 * scan of folders whose path contains <marker> for <ms> before it starts (cancellable like the
 * scan), so a test can see a long scan's progress and cancel it without a million-file fixture.
 */
export function testScanDelay(folder: string, signal: AbortSignal): Promise<void> {
  const setting = process.env.WORKSPACE_USAGE_TEST_SCAN_DELAY;
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
