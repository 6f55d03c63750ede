/**
 * util.time. Formats are Java DateTimeFormatter patterns (AppSync runs on
 * the JVM), so js-joda, a port of java.time, interprets them.
 */
import { createRequire } from 'node:module';

type Joda = typeof import('@js-joda/core') & Pick<typeof import('@js-joda/locale'), 'Locale'>;

const require = createRequire(import.meta.url);
let loaded: Joda | undefined;

/**
 * js-joda with its time-zone rules and en-US names, loaded on first use:
 * they take a few hundred milliseconds to load, which every start would
 * otherwise pay for the few resolvers that format dates. (Plain require: the
 * add-ons register themselves on the one CommonJS instance of the core.)
 */
function joda(): Joda {
  if (!loaded) {
    const core = require('@js-joda/core') as typeof import('@js-joda/core');
    require('@js-joda/timezone');
    const { Locale } = require('@js-joda/locale') as typeof import('@js-joda/locale');
    // Registers the en-US names (EEE, MMM …) with @js-joda/locale.
    require('@js-joda/locale_en-us');
    loaded = { ...core, Locale };
  }
  return loaded;
}

const zone = (timezone?: string) => (timezone ? joda().ZoneId.of(timezone) : joda().ZoneOffset.UTC);
const formatter = (format: string) => joda().DateTimeFormatter.ofPattern(format).withLocale(joda().Locale.US);

const epochMilliSecondsToFormatted = (ms: number, format: string, timezone?: string): string =>
  joda().ZonedDateTime.ofInstant(joda().Instant.ofEpochMilli(ms), zone(timezone)).format(formatter(format));

/** A pattern with its own zone or offset says where it is; otherwise `timezone` (UTC by default) does. */
function parseFormattedToEpochMilliSeconds(value: string, format: string, timezone?: string): number {
  const pattern = formatter(format);
  const { LocalDateTime, ZonedDateTime } = joda();
  try {
    return ZonedDateTime.parse(value, pattern).toInstant().toEpochMilli();
  } catch {
    return LocalDateTime.parse(value, pattern).atZone(zone(timezone)).toInstant().toEpochMilli();
  }
}

export const timeUtil = {
  nowISO8601: (): string => new Date().toISOString(),
  nowEpochSeconds: (): number => Math.floor(Date.now() / 1000),
  nowEpochMilliSeconds: (): number => Date.now(),
  nowFormatted: (format: string, timezone?: string): string => epochMilliSecondsToFormatted(Date.now(), format, timezone),
  parseFormattedToEpochMilliSeconds,
  parseISO8601ToEpochMilliSeconds: (value: string): number => joda().ZonedDateTime.parse(value).toInstant().toEpochMilli(),
  epochMilliSecondsToSeconds: (ms: number): number => Math.floor(ms / 1000),
  epochMilliSecondsToISO8601: (ms: number): string => new Date(ms).toISOString(),
  epochMilliSecondsToFormatted,
};
