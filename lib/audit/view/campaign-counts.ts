/** A campaign's items by status (client-safe: the campaign pages read it too). */
export interface CampaignCounts {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
  unknown: number;
}
