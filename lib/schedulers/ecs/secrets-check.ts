/**
 * The dry-run secrets check (hako §4.7.3): every secret a container references must exist, so a deploy does not
 * fail later when ECS cannot start the task. Reads existence only; secret values never appear in what it reports.
 *
 * Beyond hako:
 * - A plain SSM parameter name (not an ARN) is accepted, as ECS accepts it for a parameter in the task's region;
 *   it is looked up with the default-region client. hako would crash parsing it as an ARN.
 * - A bare Secrets Manager ARN (`…:secret:<name>`, no `:<json_key>:<stage>:<id>` suffix) is accepted as the whole
 *   secret, as ECS accepts it. hako reports it invalid.
 * - A malformed ARN or one for another service is reported invalid instead of crashing.
 * - `log_configuration.secret_options` are checked too: ECS resolves them at task start like `secrets`.
 * - All containers are checked together, so one error lists every invalid reference and each secret is read once.
 */
import { HakoError } from '../../errors.js';
import { chunk, formatArn, parseArn, SSM_GET_PARAMETERS_MAX, type Arn } from '../../aws/arn.js';
import { isAwsError } from '../../aws/aws-error.js';
import type { AwsClients } from '../../aws/ports.js';
import type { Container } from '../../definition/model.js';

/** A Secrets Manager reference: ECS's `secret:<name>:<json_key>:<version_stage>:<version_id>` resource. */
interface SecretRef {
  readonly valueFrom: string;
  readonly arn: Arn;
  readonly name: string;
  readonly jsonKey: string;
  readonly stage: string;
  readonly versionId: string;
}

interface Classified {
  /** SSM names/ARNs by region ('' = the default region). */
  readonly ssm: Map<string, string[]>;
  /** Secrets Manager references grouped by (region, name, stage, version id): one read per group. */
  readonly secrets: Map<string, SecretRef[]>;
  readonly invalid: Set<string>;
}

/**
 * Checks every `secrets[].value_from` (and log `secret_options[].value_from`) of `containers`. SSM parameters are
 * read with GetParameters in batches of 10 per region (no decryption); each Secrets Manager (secret, stage,
 * version) is read once, and JSON keys are looked up in it.
 *
 * @throws HakoError `Invalid ARNs for secrets: [...]` naming only the invalid references.
 * @throws AwsApiError when AWS refuses a call for another reason (access denied, throttling after retries).
 */
export async function checkSecrets(containers: readonly Container[], aws: AwsClients): Promise<void> {
  const references = unique(
    containers.flatMap((c) => [
      ...(c.secrets ?? []).map((s) => s.value_from),
      ...(c.log_configuration?.secret_options ?? []).map((s) => s.value_from),
    ]),
  );
  const { ssm, secrets, invalid } = classify(references);

  for (const [region, names] of ssm) {
    const client = await aws.ssm(region || undefined);
    for (const batch of chunk(names, SSM_GET_PARAMETERS_MAX)) {
      const out = await client.getParameters({ Names: batch });
      for (const name of out.InvalidParameters ?? []) invalid.add(name);
    }
  }

  for (const group of secrets.values()) {
    const first = group[0];
    if (first === undefined) continue;
    const text = await readSecret(aws, first);
    if (text === null) {
      for (const ref of group) invalid.add(ref.valueFrom);
      continue;
    }
    const keyed = group.filter((ref) => ref.jsonKey !== '');
    if (keyed.length === 0) continue;
    const keys = jsonKeys(text);
    for (const ref of keyed) if (!keys.has(ref.jsonKey)) invalid.add(ref.valueFrom);
  }

  const bad = references.filter((r) => invalid.has(r));
  if (bad.length > 0) {
    throw new HakoError(`Invalid ARNs for secrets: [${bad.map((r) => JSON.stringify(r)).join(', ')}]`, 'INVALID_SECRETS', 1, {
      hint: 'Each value_from must name an existing SSM parameter, or a Secrets Manager secret (and JSON key), in its region.',
    });
  }
}

function classify(references: readonly string[]): Classified {
  const ssm = new Map<string, string[]>();
  const secrets = new Map<string, SecretRef[]>();
  const invalid = new Set<string>();
  for (const valueFrom of references) {
    if (!valueFrom.startsWith('arn:')) {
      push(ssm, '', valueFrom);
      continue;
    }
    const arn = parseArn(valueFrom);
    if (arn?.service === 'ssm') {
      push(ssm, arn.region, valueFrom);
      continue;
    }
    const ref = arn?.service === 'secretsmanager' ? secretRef(valueFrom, arn) : undefined;
    if (ref === undefined) {
      invalid.add(valueFrom);
      continue;
    }
    push(secrets, JSON.stringify([arn?.region, ref.name, ref.stage, ref.versionId]), ref);
  }
  return { ssm, secrets, invalid };
}

function secretRef(valueFrom: string, arn: Arn): SecretRef | undefined {
  if (!arn.resource.startsWith('secret:')) return undefined;
  const fields = arn.resource.slice('secret:'.length).split(':');
  const [name = '', jsonKey = '', stage = '', versionId = ''] = fields;
  if (name === '' || (fields.length !== 1 && fields.length !== 4)) return undefined;
  return { valueFrom, arn, name, jsonKey, stage, versionId };
}

/** The secret's SecretString ('' for a binary secret), or `null` when the secret (or that version) does not exist. */
async function readSecret(aws: AwsClients, ref: SecretRef): Promise<string | null> {
  const client = await aws.secretsManager(ref.arn.region || undefined);
  try {
    const out = await client.getSecretValue({
      SecretId: formatArn({ ...ref.arn, resource: `secret:${ref.name}` }),
      ...(ref.stage === '' ? {} : { VersionStage: ref.stage }),
      ...(ref.versionId === '' ? {} : { VersionId: ref.versionId }),
    });
    return out.SecretString ?? '';
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return null;
    throw err;
  }
}

/** Top-level keys of a JSON object secret; none when it is not one (the parse error would quote the value). */
function jsonKeys(text: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? new Set(Object.keys(parsed)) : new Set();
  } catch {
    return new Set();
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
