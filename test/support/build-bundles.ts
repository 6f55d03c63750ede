import { bundleIfChanged } from '../../infra/bundle';

/** The bundles CDK deploys, built once for the run; `npm test` has just built them for the lint, so usually current. */
export default async function setup(): Promise<void> {
  await bundleIfChanged();
}
