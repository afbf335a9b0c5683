// What the report shows of one folder's history: the chart, forecast sentences, the daily
// activity and the sample count. Same shape as `HistoryView` in src/core/report/reportData.ts.
import { forecastForFolder, forecastsForAreas } from './forecast';
import { renderHistoryChartSvg } from './historyChart';
import type { DailyActivity, Sample } from './historyStore';

export interface HistoryViewData {
  chart_svg: string;
  forecasts: string[];
  activity: DailyActivity[];
  samples: number;
}

const HISTORY_CHART_WIDTH = 1000;
const HISTORY_CHART_HEIGHT = 320;

export function buildHistoryView(
  history: { samples(): Sample[]; activity(): DailyActivity[] },
  now: number,
  options: { width?: number; height?: number; folderLabel?: string } = {},
): HistoryViewData {
  const samples = history.samples();
  const areaForecasts = forecastsForAreas(samples, now);
  const folder = forecastForFolder(samples, now, options.folderLabel);
  const forecasts = [...areaForecasts, ...(folder ? [folder] : [])].flatMap((f) => (f.message ? [f.message] : []));
  return {
    chart_svg: renderHistoryChartSvg(samples, {
      width: options.width ?? HISTORY_CHART_WIDTH,
      height: options.height ?? HISTORY_CHART_HEIGHT,
    }),
    forecasts,
    activity: history.activity(),
    samples: samples.length,
  };
}
