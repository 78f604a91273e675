'use server';

import { authorizedAction } from '@/lib/auth/action';
import { ActionError } from '@/lib/auth/action-core';
import {
  CampaignRefused,
  campaignPlan,
  campaignSummaries,
  campaignView,
  controlCampaign,
  ScheduleRefused,
  scheduleView,
  setSchedule,
  startCampaign,
} from '@/lib/campaigns/live';
import {
  campaignInput,
  campaignPlanInput,
  controlCampaignInput,
  scheduleInput,
  startCampaignInput,
} from '@/lib/schemas';

/** A refusal of the campaign layer, with its sentence, as the action's answer. */
async function refusalsAsAnswers<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CampaignRefused) throw new ActionError('conflict', error.message);
    throw error;
  }
}

/** The dry run: each connection, its readiness, what would happen, and the time the rate budget implies. */
export const planCampaignAction = authorizedAction(
  { name: 'planCampaign', permission: 'keys:rotate', input: campaignPlanInput },
  (input) => campaignPlan(input),
);

/** Starts the plan the operator confirmed by typing its phrase; answers the campaign's id. */
export const startCampaignAction = authorizedAction(
  { name: 'startCampaign', permission: 'keys:rotate', input: startCampaignInput },
  (input, context) => refusalsAsAnswers(() => startCampaign(input, context)),
);

export const controlCampaignAction = authorizedAction(
  { name: 'controlCampaign', permission: 'keys:rotate', input: controlCampaignInput },
  ({ campaignId, control }, context) => refusalsAsAnswers(() => controlCampaign(campaignId, control, context)),
);

/** One campaign with every item, for its live progress. */
export const campaignAction = authorizedAction(
  { name: 'campaign', permission: 'keys:read', input: campaignInput },
  async ({ campaignId }) => {
    const view = await campaignView(campaignId);
    if (!view) throw new ActionError('invalid_input', 'No such campaign in this tenant.');
    return view;
  },
);

export const campaignsAction = authorizedAction(
  { name: 'campaigns', permission: 'keys:read', input: campaignInput.omit({ campaignId: true }) },
  () => campaignSummaries(),
);

/** The tenant's scheduled rotation: a rotator turns it on or off and sets its window (audited: schedule.changed). */
export const setScheduleAction = authorizedAction(
  { name: 'setSchedule', permission: 'policy:write', input: scheduleInput },
  async (input, context) => {
    try {
      return await setSchedule(input, context);
    } catch (error) {
      if (error instanceof ScheduleRefused) {
        const fieldErrors = Object.fromEntries(
          Object.entries(error.fieldErrors).map(([field, message]) => [field, [message]]),
        );
        throw new ActionError('invalid_input', error.message, fieldErrors);
      }
      throw error;
    }
  },
);

export const scheduleAction = authorizedAction(
  { name: 'schedule', permission: 'keys:read', input: campaignInput.omit({ campaignId: true }) },
  () => scheduleView(),
);
