/** What the page is pointed at: the local server writes it into the page; a deployed page would hold the stack's outputs. */
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

export function readConfig(): PageConfig {
  const element = document.getElementById('files-config');
  if (!element?.textContent) throw new Error('The page holds no #files-config.');
  return JSON.parse(element.textContent) as PageConfig;
}
