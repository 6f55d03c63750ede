/**
 * What each Lambda bundle in dist/functions weighs (index.mjs, the file the
 * function loads; its source map is not counted): the "upload Lambda bundle"
 * row of issue 13, goal ≤ 300 KB. The bench builds dist/ first if stale.
 */
import { lambdaBundleSizes, type BundleSize } from '../../infra/bundle-sizes';

export async function bundleSizes(): Promise<BundleSize[]> {
  return lambdaBundleSizes();
}
