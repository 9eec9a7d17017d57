/**
 * The `route53` script's definition keys. hako had no DNS support; this is new:
 *
 * ```jsonnet
 * scripts: [
 *   { type: 'alb', ... },
 *   { type: 'route53', hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] },
 * ]
 * ```
 *
 * A/AAAA records without `value` are aliases to the app's load balancer (the `alb` script's), CNAME records
 * without `value` point to its DNS name; any record with `value` is an ordinary record set.
 */
import * as z from 'zod';

/** Record types Route 53 accepts in ChangeResourceRecordSets (SOA is the zone's own and never managed). */
export const RECORD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'DS',
  'HTTPS',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SPF',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Types that may omit `value` and then point at the app's load balancer. */
export const LOAD_BALANCER_TYPES: ReadonlySet<string> = new Set(['A', 'AAAA', 'CNAME']);

/** TTL of CNAME-to-load-balancer records and of explicit values when `ttl` is not given. */
export const DEFAULT_TTL = 300;

/** Name prefix of the ownership TXT record kept beside each managed record (external-dns style). */
export const OWNER_PREFIX = '_hako-owner.';

const recordSchema = z.object({
  name: z
    .string()
    .min(1)
    .describe('Relative to the zone (`www`), `@` for the apex, or fully qualified with a trailing dot (`www.example.com.`)'),
  type: z.enum(RECORD_TYPES).describe('Record type; A/AAAA/CNAME without `value` point at the app load balancer'),
  ttl: z
    .number()
    .int()
    .min(0)
    .max(2_147_483_647)
    .optional()
    .describe(`TTL in seconds for CNAME and explicit values (default ${DEFAULT_TTL}); alias records have none`),
  value: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe('Explicit value(s) instead of the load balancer; TXT values are quoted for you when unquoted'),
  evaluate_target_health: z
    .boolean()
    .optional()
    .describe('EvaluateTargetHealth of an alias record (default false)'),
});

/** The canonical form of a name as written, for duplicate detection before the zone is known. */
function looseName(name: string): string {
  const n = name.trim().toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** Validates the `route53` script entry (the keys other than `type`). */
export const route53ConfigSchema = z
  .object({
    hosted_zone: z.string().min(1).optional().describe('Hosted zone name (`example.com`, trailing dot optional)'),
    hosted_zone_id: z.string().min(1).optional().describe('Hosted zone id (`Z123…`), instead of hosted_zone'),
    records: z.array(recordSchema).min(1).describe('Records this app manages in the zone'),
    wait: z.boolean().default(true).describe('Wait until Route 53 reports the change INSYNC'),
    adopt: z
      .boolean()
      .default(false)
      .describe('Take over records that exist without an ownership record (never those owned by another app)'),
  })
  .superRefine((config, ctx) => {
    if (config.hosted_zone === undefined && config.hosted_zone_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['hosted_zone'], message: 'set one of hosted_zone or hosted_zone_id' });
    } else if (config.hosted_zone !== undefined && config.hosted_zone_id !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['hosted_zone_id'],
        message: 'hosted_zone and hosted_zone_id are exclusive; set only one',
      });
    }
    const seen = new Map<string, number>();
    config.records.forEach((record, j) => {
      const at = (key?: string): (string | number)[] => (key === undefined ? ['records', j] : ['records', j, key]);
      const name = looseName(record.name);
      if (name.startsWith(OWNER_PREFIX.slice(0, -1))) {
        ctx.addIssue({ code: 'custom', path: at('name'), message: `names starting with ${OWNER_PREFIX} are hako's ownership records` });
      }
      if (record.value === undefined) {
        if (!LOAD_BALANCER_TYPES.has(record.type)) {
          ctx.addIssue({
            code: 'custom',
            path: at('value'),
            message: `a ${record.type} record needs a value (only A, AAAA and CNAME default to the app's load balancer)`,
          });
        } else if (record.type !== 'CNAME' && record.ttl !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: at('ttl'),
            message: `an alias ${record.type} record to the load balancer has no TTL; remove ttl or set a value`,
          });
        }
      } else if (record.evaluate_target_health !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: at('evaluate_target_health'),
          message: 'evaluate_target_health applies only to alias records (records without value)',
        });
      }
      if (record.type === 'CNAME' && Array.isArray(record.value) && record.value.length > 1) {
        ctx.addIssue({ code: 'custom', path: at('value'), message: 'a CNAME record has exactly one value' });
      }
      if (record.type === 'CNAME' && name === '@') {
        ctx.addIssue({ code: 'custom', path: at('name'), message: 'a CNAME record cannot be at the zone apex (@); use an A alias' });
      }
      const key = `${name} ${record.type}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: at(), message: `duplicate record ${record.name} ${record.type} (also records[${first}])` });
      } else {
        seen.set(key, j);
      }
    });
  });

/** The validated config, defaults applied. */
export type Route53Config = z.output<typeof route53ConfigSchema>;
/** One validated `records[]` entry. */
export type Route53RecordConfig = Route53Config['records'][number];
