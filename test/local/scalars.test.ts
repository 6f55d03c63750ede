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

  it('AWSTimestamp takes whole seconds only', () => {
    expect(scalar('AWSTimestamp').parseValue(1_764_000_000)).toBe(1_764_000_000);
    expect(() => scalar('AWSTimestamp').parseValue('1764000000')).toThrow(/AWSTimestamp/);
  });
});
