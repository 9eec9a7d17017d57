/** ARN parsing without the SDK: `arn:partition:service:region:account-id:resource` (the resource may hold colons). */

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

/** The parts of `text`, or `undefined` when it is not an ARN (fewer than six fields, or empty service/resource). */
export function parseArn(text: string): Arn | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (partition === '' || service === '' || resource === '') return undefined;
  return { partition, service, region, accountId, resource };
}

export function formatArn(arn: Arn): string {
  return ['arn', arn.partition, arn.service, arn.region, arn.accountId, arn.resource].join(':');
}

/** Splits `items` into consecutive batches of at most `size` (AWS batch APIs cap their inputs). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/** SSM GetParameters accepts at most this many names per call. */
export const SSM_GET_PARAMETERS_MAX = 10;
