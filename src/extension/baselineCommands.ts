// Pin Baseline and Compare With…: which folder sizes the Usage view's changes (" (+340 MB)"),
// Sort by Growth and the report's "Grew most" are measured against.
import * as vscode from 'vscode';
import { baselineLabel, type BaselineKind } from '../core/baseline/baselineStore';
import { formatRelativeTime } from '../core/format/relativeTime';
import type { Growth } from './usage/growth';

const TITLES: Record<BaselineKind, string> = {
  lastSample: 'Last Sample',
  yesterday: 'Yesterday',
  week: '7 Days Ago',
  pinned: 'Pinned Baseline',
};

export function registerBaselineCommands(growth: Growth): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('workspaceUsage.pinBaseline', async () => {
      const pinned = await growth.pin();
      if (pinned === 0)
        void vscode.window.showInformationMessage(
          'Workspace Usage: no sizes to pin yet; try again when the scan is done.',
        );
      else vscode.window.setStatusBarMessage('Workspace Usage: baseline pinned; changes are shown since now', 5000);
    }),
    vscode.commands.registerCommand('workspaceUsage.compareWith', async () => {
      const current = growth.kind();
      const kinds = await growth.describeKinds();
      const items = kinds.map(({ kind, at }) => ({
        label: TITLES[kind],
        description: at === undefined ? 'none yet' : `taken ${formatRelativeTime(at, Date.now())}`,
        detail: kind === current ? `Compared with ${baselineLabel(kind)} now` : undefined,
        picked: kind === current,
        baseline: kind,
      }));
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Workspace Usage: Compare With…',
        placeHolder: 'Show changes since',
      });
      if (pick) await growth.compareWith(pick.baseline);
    }),
  ];
}
