import type { LocalServer } from './server';

/** What `npm start` writes to <DATA_DIR>/endpoints.json (mode 600: it holds keys), for tools (the `files` CLI), benchmarks and scripts: where everything is. */
export const endpointsOf = (server: LocalServer) => ({
  graphqlUrl: server.graphqlUrl,
  realtimeUrl: server.realtimeUrl,
  restUrl: server.restUrl,
  localTokenUrl: server.localTokenUrl,
  apiKey: server.apiKey,
  caCertFile: server.caCertFile,
  userPool: server.userPool,
  storage: {
    region: server.storage.region,
    dynamodbEndpoint: server.storage.dynamodbEndpoint,
    s3Endpoint: server.storage.s3Endpoint,
    tableName: server.storage.tableName,
    bucketName: server.storage.bucketName,
    /** The local account's key pair: signs storage requests and IAM calls to the API (AWS_IAM). Secret: endpoints.json is written mode 600. */
    credentials: { accessKeyId: server.storage.credentials.accessKeyId, secretAccessKey: server.storage.credentials.secretAccessKey },
  },
});

export type LocalEndpoints = ReturnType<typeof endpointsOf>;
