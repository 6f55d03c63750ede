/**
 * The credentials a function signs with: its execution role's, which the
 * Lambda runtime puts in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN. fromEnv reads exactly those, at each call. (The local
 * runtime and the tests give a container an environment of its own, whose
 * credentials config.ts's envCredentials passes to each client instead.)
 *
 * The Lambda bundles use this module in place of
 * @aws-sdk/credential-provider-node, the SDK clients' default chain
 * (infra/bundle.ts aliases it): that chain also carries the SSO, STS, INI,
 * process, web-identity and instance-metadata providers, ~110 KB minified,
 * none of which a Lambda with its role in its environment ever reaches.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
