/**
 * Options of the `nginx_front` script, with hako's keys and defaults. Validated up front so that a value nginx
 * would reject (`allow 10.0.0.300;`, a location path that breaks the block) is a definition error with a path,
 * not a front container that fails to start after the deploy.
 */
import * as z from 'zod';

/**
 * node:net's isIP, loaded on first use: node:net costs ~3 ms to load, and every definition with an nginx front loads
 * this module, most of them with no `allow_only_from` to check.
 */
function isIP(value: string): number {
  return process.getBuiltinModule('node:net').isIP(value);
}

/** `allow` accepts an address, an address/prefix, `all` or `unix:` (nginx ngx_http_access_module). */
export function isNginxAllowValue(value: string): boolean {
  if (value === 'all' || value === 'unix:') return true;
  const slash = value.indexOf('/');
  if (slash < 0) return isIP(value) !== 0;
  const family = isIP(value.slice(0, slash));
  const prefix = value.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

const allowValue = z.string().refine(isNginxAllowValue, {
  message: 'expected an IPv4/IPv6 address or CIDR block (e.g. 10.0.0.0/24), `all` or `unix:`',
});

/** hako flattens nested arrays, which lets Jsonnet definitions compose shared IP lists: `[office, ['10.0.0.0/24']]`. */
export type AllowOnlyFrom = (string | AllowOnlyFrom)[];
const allowOnlyFrom: z.ZodType<AllowOnlyFrom> = z.array(z.union([allowValue, z.lazy(() => allowOnlyFrom)]));

const locationPath = z
  .string()
  .min(1)
  .refine((p) => !/[{};\n\r]/.test(p), { message: 'a location path must not contain `{`, `}`, `;` or a line break' });

export const frontLocationSchema = z
  .object({
    /** Addresses allowed to reach this location; everyone else gets 403. `null` or absent: no restriction. */
    allow_only_from: allowOnlyFrom.nullable().optional(),
  })
  .strict();

const sizeValue = z
  .string()
  .regex(/^\d+[kKmMgG]?$/, { message: 'expected an nginx size such as `1m`, `512k` or `1G`' });

export const nginxFrontConfigSchema = z
  .object({
    /** Where the front container downloads its configuration from (it reads the S3_CONFIG_* env). */
    s3: z
      .object({
        region: z.string().min(1),
        bucket: z.string().min(1),
        /** Key prefix without a trailing slash; the key is `<prefix>/<app id>.conf` (hako: any non-null prefix, even empty). */
        prefix: z.string().nullable().optional(),
      })
      .strict(),
    /** The port the backend container listens on. */
    backend_port: z.union([z.number().int().min(1).max(65535), z.string().regex(/^\d{1,5}$/)]),
    /** The container nginx proxies to (linked as `backend`). */
    backend: z.string().min(1).default('app'),
    /** Location path → options, rendered in this order. */
    locations: z.record(locationPath, frontLocationSchema).default({ '/': {} }),
    client_max_body_size: sizeValue.nullable().optional(),
  })
  .strict();

export type NginxFrontConfig = z.infer<typeof nginxFrontConfigSchema>;
export type FrontLocation = z.infer<typeof frontLocationSchema>;

/** The S3 key of the app's front configuration: `<prefix>/<appId>.conf`, or `<appId>.conf` without a prefix. */
export function frontConfigKey(s3: NginxFrontConfig['s3'], appId: string): string {
  return s3.prefix !== undefined && s3.prefix !== null ? `${s3.prefix}/${appId}.conf` : `${appId}.conf`;
}
