/**
 * `node --import ./dist/scripts/trace-modules.js …` records every module URL the process loads into
 * $HAKO_TRACE_FILE. Used by bench-startup to prove that show-definition loads no AWS SDK code.
 */
import { register } from 'node:module';

register('./trace-modules-hooks.js', import.meta.url);
