// What the campaign pages receive. No server imports: the components read these types.
import type { CampaignCounts } from '@/lib/audit/view/campaign-counts';
import { csvCell } from '@/lib/fleet/fleet';

export type CampaignStateView = 'running' | 'paused' | 'cancelled' | 'finished';
export type ItemStatusView = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'unknown';

export type CampaignCountsView = CampaignCounts;

export interface CampaignItemView {
  connectionId: string;
  name: string;
  algorithm: string | null;
  plannedReadiness: string;
  acknowledged: boolean;
  status: ItemStatusView;
  attempts: number;
  newKid: string | null;
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CampaignSummaryView {
  id: string;
  state: CampaignStateView;
  selection: string;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  counts: CampaignCountsView;
}

export interface CampaignView extends CampaignSummaryView {
  tenant: string;
  share: number;
  items: CampaignItemView[];
  /** Seconds left at the pace measured so far (items finished over the time since the first started); null: unknown. */
  secondsLeft: number | null;
}

/** Items still to run, at the pace the finished ones went; null before one finished. */
export function secondsLeft(items: readonly CampaignItemView[], now: number): number | null {
  const started = items.flatMap((item) => (item.startedAt ? [Date.parse(item.startedAt)] : []));
  const finished = items.filter((item) => item.finishedAt && item.startedAt).length;
  const left = items.filter((item) => item.status === 'pending' || item.status === 'running').length;
  if (left === 0) return 0;
  if (started.length === 0 || finished === 0) return null;
  const elapsed = (now - Math.min(...started)) / 1000;
  return Math.ceil((elapsed / finished) * left);
}

/** "2 min 5 s", "45 s", "1 h 3 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min${seconds % 60 ? ` ${Math.round(seconds % 60)} s` : ''}`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

const ITEM_COLUMNS = [
  'connection',
  'connection_id',
  'algorithm',
  'readiness',
  'status',
  'attempts',
  'new_kid',
  'message',
  'started_at',
  'finished_at',
];

/** The summary with every item's outcome, as CSV. */
export function campaignCsv(view: CampaignView): string {
  const lines = [ITEM_COLUMNS.join(',')];
  for (const item of view.items) {
    lines.push(
      [
        item.name,
        item.connectionId,
        item.algorithm,
        item.plannedReadiness,
        item.status,
        item.attempts,
        item.newKid,
        item.message,
        item.startedAt,
        item.finishedAt,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A tenant's scheduled rotation, as its panel shows it. */
export interface ScheduleView {
  enabled: boolean;
  cron: string;
  timeZone: string;
  windowMinutes: number;
  updatedAt: string | null;
  /** The window open now, or the next one (ISO), when the schedule is on. */
  next: { start: string; end: string; open: boolean } | null;
}
