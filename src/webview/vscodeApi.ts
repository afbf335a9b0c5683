// The part of the webview API the page uses, typed with the report's own messages.
import type { FromPageMessage } from '../core/report/reportMessages';

interface VsCodeApi {
  postMessage(message: FromPageMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** May be called once per page load, so it is called here, once, and shared. */
export const vscode: VsCodeApi = acquireVsCodeApi();
