import type { LocalServer } from './server';

/** What `npm start` writes to <DATA_DIR>/endpoints.json, for tools (the `files` CLI), benchmarks and scripts: where everything is. */
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
  },
});

export type LocalEndpoints = ReturnType<typeof endpointsOf>;
