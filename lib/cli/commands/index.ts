import type { CliCommand } from './command.js';
import { deployCommand } from './deploy.js';
import { diffCommand } from './diff.js';
import { initCommand } from './init.js';
import { oneshotCommand } from './oneshot.js';
import { schemaCommand } from './schema.js';
import { removeCommand, rollbackCommand, statusCommand, stopCommand } from './service-ops.js';
import { showDefinitionCommand } from './show-definition.js';
import { verifyCommand } from './verify.js';

/** Registered commands, in the order `hako --help` lists them. Only commands that work are here. */
export const commands: readonly CliCommand[] = [
  deployCommand,
  diffCommand,
  rollbackCommand,
  oneshotCommand,
  showDefinitionCommand,
  statusCommand,
  stopCommand,
  removeCommand,
  verifyCommand,
  initCommand,
  schemaCommand,
];
