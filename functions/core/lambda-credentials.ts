/**
 * The credentials a function signs with: its execution role's, which the
 * Lambda runtime puts in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN (the local server sets the first two to its storage key
 * pair before a bundle loads). fromEnv reads exactly those, at each call.
 *
 * The Lambda bundles use this module in place of
 * @aws-sdk/credential-provider-node, the SDK clients' default chain
 * (infra/bundle.ts aliases it): that chain also carries the SSO, STS, INI,
 * process, web-identity and instance-metadata providers, ~110 KB minified,
 * none of which a Lambda with its role in its environment ever reaches.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
