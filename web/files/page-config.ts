/**
 * What the page is pointed at. The local server writes it into the page
 * (local/files-page/files-page.ts); a deployed page would hold the stack's
 * outputs. No DOM here: the server's code imports this type too.
 */
export interface PageConfig {
  graphqlUrl: string;
  region: string;
  /** Offered as a way to sign in when present. */
  apiKey?: string;
  /** The local server's token endpoint: sign in as any user name and groups (local development only). */
  localTokenUrl?: string;
  userPool: { userPoolId: string; clientId: string };
  /** A Cognito-compatible endpoint instead of AWS's (Amplify's userPoolEndpoint). */
  cognitoEndpoint?: string;
}
