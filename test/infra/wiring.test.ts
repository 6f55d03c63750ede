/**
 * The deployed API is the one API definition: the template's resolvers,
 * functions and data sources are exactly infra/api-definition.ts, and their
 * code is byte for byte the bundle in dist/ that the local server runs.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSources, lambdas, pipelineFunctions, resolverCodeName, resolvers, type PipelineFunctionName } from '../../infra/api-definition';
import { bundlePaths } from '../../infra/bundle';
import { filesApp, getAtt, lambdasOf, logicalId, ref, type FilesApp } from './files-app';

interface Resource {
  Type: string;
  Properties: Record<string, any>;
}

let files: FilesApp;
let resources: Record<string, Resource>;

beforeAll(() => {
  files = filesApp();
  resources = Template.fromStack(files.stack).toJSON().Resources;
});
afterAll(() => files.dispose());

/** The properties of every resource of a type, each with its logical ID as `id`. */
const propertiesOfType = (type: string): Record<string, any>[] =>
  Object.entries(resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => ({ ...r.Properties, id }));

const bundle = (file: string) => readFileSync(file, 'utf8');

const appsyncJs = { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' };

describe('the deployed GraphQL API', () => {
  it('has a resolver for exactly the fields of the definition', () => {
    const deployed = propertiesOfType('AWS::AppSync::Resolver').map((r) => `${r.TypeName}.${r.FieldName}`);
    expect(deployed.sort()).toEqual(resolvers.map(resolverCodeName).sort());
  });

  it('runs each field as an APPSYNC_JS pipeline of its declared functions, with its bundled code', () => {
    const functionNames = new Map(propertiesOfType('AWS::AppSync::FunctionConfiguration').map((f) => [f.id, f.Name as string]));
    const deployed = propertiesOfType('AWS::AppSync::Resolver');
    for (const resolver of resolvers) {
      const codeName = resolverCodeName(resolver);
      const properties = deployed.find((r) => `${r.TypeName}.${r.FieldName}` === codeName)!;
      expect(properties.Kind, codeName).toBe('PIPELINE');
      expect(properties.Runtime, codeName).toEqual(appsyncJs);
      expect(properties.Code, codeName).toBe(bundle(bundlePaths.resolver(codeName)));
      const pipeline = properties.PipelineConfig.Functions.map((f: { 'Fn::GetAtt': [string, string] }) => functionNames.get(f['Fn::GetAtt'][0]));
      expect(pipeline, codeName).toEqual(resolver.pipeline);
    }
  });

  it('has each pipeline function once, on its declared data source, with its bundled code and declared batch size', () => {
    const deployed = propertiesOfType('AWS::AppSync::FunctionConfiguration');
    expect(deployed.map((f) => f.Name).sort()).toEqual(Object.keys(pipelineFunctions).sort());
    for (const fn of deployed) {
      const name = fn.Name as PipelineFunctionName;
      const definition = pipelineFunctions[name];
      expect(fn.DataSourceName, name).toBe(definition.dataSource);
      expect(fn.Runtime, name).toEqual(appsyncJs);
      expect(fn.Code, name).toBe(bundle(bundlePaths.pipelineFunction(name)));
      expect(fn.MaxBatchSize, name).toBe('maxBatchSize' in definition ? definition.maxBatchSize : undefined);
    }
  });

  it('has exactly the data sources of the definition, each backed by what it names', () => {
    const { storage } = files.stack;
    const lambdaFunctions = lambdasOf(files.stack);
    const deployed = Object.fromEntries(propertiesOfType('AWS::AppSync::DataSource').map((d) => [d.Name, d]));
    expect(Object.keys(deployed).sort()).toEqual(Object.keys(dataSources).sort());
    for (const [name, definition] of Object.entries(dataSources)) {
      switch (definition.kind) {
        case 'AMAZON_DYNAMODB':
          expect(deployed[name], name).toMatchObject({ Type: definition.kind, DynamoDBConfig: { TableName: ref(storage.table) } });
          break;
        case 'AWS_LAMBDA':
          expect(deployed[name], name).toMatchObject({
            Type: definition.kind,
            LambdaConfig: { LambdaFunctionArn: getAtt(lambdaFunctions[definition.lambda].function, 'Arn') },
          });
          break;
        case 'NONE':
          expect(deployed[name], name).toMatchObject({ Type: definition.kind });
          break;
      }
    }
  });
});

describe('the deployed Lambdas', () => {
  it('are the bundles in dist/, file for file and byte for byte', () => {
    const deployed = lambdasOf(files.stack);
    expect(Object.keys(deployed).sort()).toEqual(Object.keys(lambdas).sort());
    const assets = JSON.parse(readFileSync(path.join(files.app.outdir, `${files.stack.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging: string } }>;
    };
    for (const [name, fn] of Object.entries(deployed)) {
      // The function's code is the zip of an asset named by its hash; the manifest says which directory.
      const hash = (resources[logicalId(fn.function)].Properties.Code.S3Key as string).replace(/\.zip$/, '');
      const { source } = assets.files[hash];
      expect(source.packaging).toBe('zip');
      const assetDir = path.join(files.app.outdir, source.path);
      const bundleDir = path.dirname(bundlePaths.lambda(name));
      expect(readdirSync(assetDir).sort(), name).toEqual(readdirSync(bundleDir).sort());
      for (const file of readdirSync(bundleDir)) {
        expect(readFileSync(path.join(assetDir, file)).equals(readFileSync(path.join(bundleDir, file))), `${name}/${file}`).toBe(true);
      }
    }
  });
});
