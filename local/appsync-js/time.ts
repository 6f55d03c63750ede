/**
 * util.time. Formats are Java DateTimeFormatter patterns (AppSync runs on
 * the JVM), so js-joda, a port of java.time, interprets them.
 */
import { DateTimeFormatter, Instant, LocalDateTime, ZonedDateTime, ZoneId, ZoneOffset } from '@js-joda/core';
import '@js-joda/timezone';
import { Locale } from '@js-joda/locale';
// Registers the en-US names (EEE, MMM …) with @js-joda/locale.
import '@js-joda/locale_en-us';

const zone = (timezone?: string): ZoneId => (timezone ? ZoneId.of(timezone) : ZoneOffset.UTC);
const formatter = (format: string) => DateTimeFormatter.ofPattern(format).withLocale(Locale.US);

const epochMilliSecondsToFormatted = (ms: number, format: string, timezone?: string): string =>
  ZonedDateTime.ofInstant(Instant.ofEpochMilli(ms), zone(timezone)).format(formatter(format));

/** A pattern with its own zone or offset says where it is; otherwise `timezone` (UTC by default) does. */
function parseFormattedToEpochMilliSeconds(value: string, format: string, timezone?: string): number {
  const pattern = formatter(format);
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
  parseISO8601ToEpochMilliSeconds: (value: string): number => ZonedDateTime.parse(value).toInstant().toEpochMilli(),
  epochMilliSecondsToSeconds: (ms: number): number => Math.floor(ms / 1000),
  epochMilliSecondsToISO8601: (ms: number): string => new Date(ms).toISOString(),
  epochMilliSecondsToFormatted,
};
