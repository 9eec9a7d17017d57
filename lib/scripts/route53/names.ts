/**
 * DNS names as Route 53 compares them: lower case, fully qualified with a trailing dot, `*` unescaped.
 * Route 53 answers with `\052` for `*` (and octal escapes for other special characters) and lower-cases names,
 * so both sides of every comparison go through `canonicalName`.
 */

/** Lower-cased, trailing dot, octal escapes (`\052`) decoded. */
export function canonicalName(name: string): string {
  const decoded = name.trim().replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  const lower = decoded.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** Hosted zone id without the `/hostedzone/` prefix that some responses carry. */
export function bareZoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}

/** Change id without the `/change/` prefix. */
export function bareChangeId(id: string): string {
  return id.replace(/^\/?change\//, '');
}

/**
 * Qualifies a record name as written in the definition against its zone (`zone` is canonical):
 * `@` is the apex, a trailing dot means fully qualified, a name already ending in the zone's name is taken as
 * fully qualified too (nobody means `www.example.com.example.com.`), anything else is relative.
 */
export function qualifyName(name: string, zone: string): string {
  const n = name.trim().toLowerCase();
  if (n === '@') return zone;
  if (n.endsWith('.')) return canonicalName(n);
  const bareZone = zone.slice(0, -1);
  if (n === bareZone || n.endsWith(`.${bareZone}`)) return canonicalName(n);
  return canonicalName(`${n}.${zone}`);
}

/** True when `name` (canonical) is the zone's apex or below it. */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** A DNS name for comparison of targets: lower case, no trailing dot. */
export function comparableHost(host: string): string {
  const lower = host.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
