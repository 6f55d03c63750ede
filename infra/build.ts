/** `npm run build`: the one esbuild build (infra/bundle.ts), then what each Lambda bundle weighs against its budget. */
import { formatBundleSizes, lambdaBundleSizes } from './bundle-sizes';
import { bundleAll } from './bundle';

await bundleAll();
console.log(`Lambda bundles (minified; the source map lies beside each):\n${formatBundleSizes(await lambdaBundleSizes())}`);
