import { isSigningAlg, type SigningAlg } from '@/lib/certs/signing-algorithms';
import type { FleetReadiness } from '@/lib/fleet/fleet';
import type { DueState } from '@/lib/fleet/policy';

/**
 * A campaign's plan, before anything runs: which connections, what happens to each, how long the rate budget says
 * it takes, and the sentence the operator types to confirm. Pure: the caller passes the fleet's rows.
 */

/** The fleet view's filter, as a campaign takes it (the campaign is of one tenant: no tenant filter). */
export interface CampaignFilter {
  state: DueState | 'all';
  readiness: FleetReadiness | 'all';
  algorithm: SigningAlg | 'all';
  certAttention: boolean;
  search: string;
}

/**
 * Which connections: the fleet's states, names given one by one, or the fleet view's filter (which the caller
 * applies to the candidates it passes: lib/fleet/fleet.ts `filterFleet`, the very function the view filters with).
 */
export type CampaignSelection =
  | { kind: 'overdue' }
  | { kind: 'due' }
  | { kind: 'ready' }
  | { kind: 'names'; names: readonly string[] }
  | { kind: 'filter'; filter: CampaignFilter };

/** Keep each connection's current algorithm, or rotate every one to this one. */
export type CampaignAlgorithm = 'keep' | SigningAlg;

/** A connection as the plan sees it: the fleet's row and the kids the inventory last read. */
export interface PlanCandidate {
  connectionId: string;
  name: string;
  state: DueState;
  readiness: FleetReadiness;
  readinessReason: string;
  algorithm: string | null;
  currentKid: string | null;
  nextKid: string | null;
  keysState: 'provisioned' | 'not-provisioned' | 'unsupported' | 'error';
  /** When the inventory read these keys (ms since the epoch). */
  checkedAt: number;
}

export type PlanAction = 'rotate' | 'rotate_acknowledged' | 'skip_not_ready' | 'skip_no_keys';

export interface PlanItem {
  connectionId: string;
  name: string;
  /** The algorithm the rotation asks for (the current one when kept); null when the item is skipped for no keys. */
  algorithm: SigningAlg | null;
  expectedCurrentKid: string | null;
  expectedNextKid: string | null;
  readiness: FleetReadiness;
  readinessReason: string;
  action: PlanAction;
  checkedAt: number;
}

export interface CampaignPlan {
  selection: string;
  items: PlanItem[];
  /** Items that will be rotated (the number the operator types). */
  rotating: number;
  skipped: number;
  /** Names asked for that are not key-capable connections of the tenant. */
  unknownNames: string[];
  /** Management API requests the rotations need: a connection read, a keys read and the rotate, each. */
  requests: number;
  /** Seconds the rate budget implies at the campaign's share of the tenant's refill rate; null while unknown. */
  estimateSeconds: number | null;
}

/** Management API requests one rotation makes (rotate.ts): the connection, its keys, the rotate. */
export const REQUESTS_PER_ROTATION = 3;

export const MAX_CAMPAIGN_ITEMS = 1000;

export function describeSelection(selection: CampaignSelection): string {
  switch (selection.kind) {
    case 'overdue':
      return 'all overdue';
    case 'due':
      return 'all overdue or due soon';
    case 'ready':
      return 'all ready';
    case 'names':
      return `${selection.names.length} named`;
    case 'filter':
      return describeFilter(selection.filter);
  }
}

function describeFilter(filter: CampaignFilter): string {
  const parts = [
    filter.state === 'all' ? null : filter.state.replace('_', ' '),
    filter.readiness === 'all' ? null : filter.readiness.replace('_', ' '),
    filter.algorithm === 'all' ? null : filter.algorithm,
    filter.certAttention ? 'certificate expiring or expired' : null,
    filter.search.trim() ? `“${filter.search.trim()}”` : null,
  ].filter(Boolean);
  return `fleet filter: ${parts.length > 0 ? parts.join(', ') : 'all'}`;
}

function selected(candidates: readonly PlanCandidate[], selection: CampaignSelection): PlanCandidate[] {
  switch (selection.kind) {
    case 'overdue':
      return candidates.filter((row) => row.state === 'overdue');
    case 'due':
      return candidates.filter((row) => row.state === 'overdue' || row.state === 'due_soon');
    case 'ready':
      return candidates.filter((row) => row.readiness === 'ready' && row.state !== 'no_key');
    case 'names': {
      const byName = new Map(candidates.map((row) => [row.name, row]));
      return [...new Set(selection.names)].flatMap((name) => byName.get(name) ?? []);
    }
    case 'filter':
      return [...candidates];
  }
}

export interface PlanOptions {
  algorithm: CampaignAlgorithm;
  /** Rotate connections whose IdP is not known to trust the next key too (the operator acknowledged it). */
  includeNotReady: boolean;
  /** The campaign's share of the tenant's refill rate, in requests a second; null when not learnt yet. */
  requestsPerSecond: number | null;
}

export function planCampaign(
  candidates: readonly PlanCandidate[],
  selection: CampaignSelection,
  options: PlanOptions,
): CampaignPlan {
  const chosen = selected(candidates, selection).sort((a, b) => a.name.localeCompare(b.name));
  const items = chosen.map((row): PlanItem => {
    const current = isSigningAlg(row.algorithm) ? row.algorithm : null;
    const algorithm = options.algorithm === 'keep' ? current : options.algorithm;
    const hasKeys = row.keysState === 'provisioned' && row.currentKid !== null && row.nextKid !== null;
    const action: PlanAction =
      !hasKeys || algorithm === null
        ? 'skip_no_keys'
        : row.readiness === 'ready'
          ? 'rotate'
          : options.includeNotReady
            ? 'rotate_acknowledged'
            : 'skip_not_ready';
    return {
      connectionId: row.connectionId,
      name: row.name,
      algorithm,
      expectedCurrentKid: row.currentKid,
      expectedNextKid: row.nextKid,
      readiness: row.readiness,
      readinessReason: row.readinessReason,
      action,
      checkedAt: row.checkedAt,
    };
  });
  const rotating = items.filter((item) => item.action === 'rotate' || item.action === 'rotate_acknowledged').length;
  const known = new Set(candidates.map((row) => row.name));
  const requests = rotating * REQUESTS_PER_ROTATION;
  return {
    selection: describeSelection(selection),
    items,
    rotating,
    skipped: items.length - rotating,
    unknownNames: selection.kind === 'names' ? [...new Set(selection.names)].filter((name) => !known.has(name)) : [],
    requests,
    estimateSeconds:
      options.requestsPerSecond && options.requestsPerSecond > 0
        ? Math.ceil(requests / options.requestsPerSecond)
        : null,
  };
}

/** What the operator types to confirm: the number rotated and the tenant, so neither can be mistaken. */
export function confirmationPhrase(rotating: number, tenantSlug: string): string {
  return `rotate ${rotating} connection${rotating === 1 ? '' : 's'} in ${tenantSlug}`;
}

/** Why an item is skipped, as the plan and the summary say it. */
export function skipReason(item: PlanItem): string | null {
  if (item.action === 'skip_no_keys') return 'No current and next key to rotate (or no algorithm Auth0 accepts).';
  if (item.action === 'skip_not_ready') return `Not ready: ${item.readinessReason}`;
  return null;
}

const STATES = ['all', 'overdue', 'due_soon', 'ok', 'no_key'] as const;
const READINESS = ['all', 'ready', 'not_ready', 'unknown'] as const;

/** The fleet view's filter as the campaigns page's query (`?state=overdue&readiness=ready&q=okta`). */
export function filterQuery(filter: CampaignFilter): string {
  const query = new URLSearchParams({ from: 'fleet' });
  if (filter.state !== 'all') query.set('state', filter.state);
  if (filter.readiness !== 'all') query.set('readiness', filter.readiness);
  if (filter.algorithm !== 'all') query.set('algorithm', filter.algorithm);
  if (filter.certAttention) query.set('cert', '1');
  if (filter.search.trim()) query.set('q', filter.search.trim());
  return query.toString();
}

/** The filter a campaigns page's query carries, or null when it came from elsewhere; a value out of range is "all". */
export function filterFromQuery(query: Record<string, string | string[] | undefined>): CampaignFilter | null {
  if (query.from !== 'fleet') return null;
  const one = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : '');
  const pick = <T extends string>(values: readonly T[], value: string): T =>
    (values as readonly string[]).includes(value) ? (value as T) : ('all' as T);
  return {
    state: pick(STATES, one('state')),
    readiness: pick(READINESS, one('readiness')),
    algorithm: isSigningAlg(one('algorithm')) ? (one('algorithm') as SigningAlg) : 'all',
    certAttention: one('cert') === '1',
    search: one('q').slice(0, 128),
  };
}
