/** Built-in script plugins, by their hako `type` names. Importing these loads no AWS SDK code (ports only). */
import { albScript } from './alb/index.js';
import { logGroupScript } from './log-group/index.js';
import { nginxFrontScript } from './nginx-front/index.js';
import { route53Script } from './route53/index.js';
import type { ScriptPlugin } from './script.js';

export function builtinScripts(): ScriptPlugin[] {
  return [albScript, nginxFrontScript, route53Script, logGroupScript] as unknown as ScriptPlugin[];
}
