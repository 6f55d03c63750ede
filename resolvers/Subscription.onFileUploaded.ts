import { extensions, util, type Context } from '@aws-appsync/utils';
import type { SubscriptionOnFileUploadedArgs } from '../generated/graphql';
import type { ProjectStash } from './lib/pipeline';

/** Runs once, when a client subscribes: authorize (pipeline), then filter to the project. */
export function request(ctx: Context<SubscriptionOnFileUploadedArgs>) {
  (ctx.stash as ProjectStash).projectID = ctx.args.projectID;
  return {};
}

export function response(ctx: Context<SubscriptionOnFileUploadedArgs>) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ projectID: { eq: ctx.args.projectID } }));
  return null;
}
