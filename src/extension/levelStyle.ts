// Icons and colours for quota levels, from the theme so they follow light, dark and high contrast.
import * as vscode from 'vscode';

export type Level = 'ok' | 'warning' | 'exceeded';

export function levelColor(level: Level | string): vscode.ThemeColor {
  return new vscode.ThemeColor(
    level === 'exceeded' ? 'list.errorForeground' : level === 'warning' ? 'list.warningForeground' : 'charts.green',
  );
}

export function levelIcon(level: Level | string, okIcon: string): vscode.ThemeIcon {
  const icon = level === 'exceeded' ? 'error' : level === 'warning' ? 'warning' : okIcon;
  return new vscode.ThemeIcon(icon, levelColor(level));
}
