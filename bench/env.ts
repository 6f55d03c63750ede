/**
 * Imported first by run.ts, before any module that loads the AWS SDK: the SDK's
 * notice that its 2027 releases need Node 22 is noise here (as in vitest.config.ts).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
