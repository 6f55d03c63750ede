import { describe, expect, it } from 'vitest';
import { appsyncScalars } from '../../local/graphql/scalars';

const scalar = (name: string) => appsyncScalars.find((s) => s.name === name)!;

describe('AppSync scalars', () => {
  it.each([
    ['AWSDateTime', '2026-11-25T10:00:00.000Z', '2026-11-25 10:00:00'],
    ['AWSDateTime', '2026-11-25T10:00+01:00', '2026-02-30T10:00:00Z'],
    ['AWSDate', '2026-11-25', '25/11/2026'],
    ['AWSTime', '23:59:59.999', '24h'],
    ['AWSEmail', 'ada@example.com', 'ada@'],
    ['AWSJSON', '{"a":[1,2]}', '{a:1}'],
    ['AWSURL', 'https://example.com/x?y=1', 'example.com/x'],
    ['AWSPhone', '+1 555-0100', 'call me'],
    ['AWSIPAddress', '2001:db8::1/64', '999.1.1.1'],
  ])('%s accepts %s and refuses %s with a message naming the scalar', (name, valid, invalid) => {
    expect(scalar(name).parseValue(valid)).toBe(valid);
    expect(() => scalar(name).parseValue(invalid)).toThrow(new RegExp(`^Invalid ${name} value`));
  });

  it.each([
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2026-04-31', false],
    ['2026-12-31', true],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['0050-01-31', true],
    ['0004-02-29', true],
  ])('AWSDate and AWSDateTime know the calendar: %s is %s', (date, exists) => {
    for (const [name, value] of [
      ['AWSDate', date],
      ['AWSDateTime', `${date}T12:00:00Z`],
    ]) {
      if (exists) expect(scalar(name).serialize(value)).toBe(value);
      else expect(() => scalar(name).serialize(value)).toThrow(new RegExp(`^Invalid ${name} value`));
    }
  });

  it('AWSTimestamp takes whole seconds only', () => {
    expect(scalar('AWSTimestamp').parseValue(1_764_000_000)).toBe(1_764_000_000);
    expect(() => scalar('AWSTimestamp').parseValue('1764000000')).toThrow(/AWSTimestamp/);
  });
});
