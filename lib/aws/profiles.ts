/**
 * Whether a named profile exists in the shared config files. The SDK's answer to an unknown AWS_PROFILE is
 * "Could not load credentials from any providers", which sends users looking everywhere but at the name; the AWS
 * CLI says "The config profile (x) could not be found", and so do we, before the first call.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HakoError } from '../errors.js';

/** The files the SDK reads, honouring the same environment variables. */
export function sharedConfigFiles(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

/** Section names of an INI file (`[profile x]` in config is profile `x`; `[x]` in credentials is `x`). */
function profilesIn(file: string, kind: 'config' | 'credentials'): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(line);
    if (!m) continue;
    const section = m[1]!.trim();
    if (kind === 'credentials') names.push(section);
    else if (section === 'default') names.push('default');
    else if (section.startsWith('profile ')) names.push(section.slice('profile '.length).trim());
  }
  return names;
}

/**
 * Throws when `profile` (from `--profile` or AWS_PROFILE) is in neither shared file. `default` may be absent: the
 * SDK then goes on to environment variables and instance roles, as it should.
 */
export function assertProfileExists(profile: string, source: string, env: NodeJS.ProcessEnv = process.env): void {
  if (profile === 'default') return;
  const files = sharedConfigFiles(env);
  const known = [...profilesIn(files.config, 'config'), ...profilesIn(files.credentials, 'credentials')];
  if (known.includes(profile)) return;
  const list = [...new Set(known)].sort();
  throw new HakoError(`AWS profile "${profile}" (from ${source}) does not exist in ${files.config} or ${files.credentials}`, 'AWS_PROFILE', 1, {
    hint:
      list.length > 0
        ? `Profiles there: ${list.join(', ')}. Fix the name, or unset ${source === '--profile' ? 'the flag' : source}.`
        : `There are no profiles: create it (aws configure --profile ${profile}), or unset ${source === '--profile' ? 'the flag' : source}.`,
  });
}
