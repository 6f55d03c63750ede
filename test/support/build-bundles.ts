import { bundleAll } from '../../infra/bundle';

export default async function setup(): Promise<void> {
  await bundleAll();
}
