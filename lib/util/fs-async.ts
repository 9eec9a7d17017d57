/**
 * The few promise-returning file functions the start-up path uses, made from node:fs's callback API. Not
 * node:fs/promises: on Node 20 its first import loads internal/fs/promises and, through it, the readline
 * interface (~2-3 ms of every one-definition command's start-up, on the main thread); the callback API is loaded
 * already. Same results and errors (an ErrnoException with `code`).
 */
import { readdir as readdirCallback, readFile as readFileCallback, stat as statCallback } from 'node:fs';
import { promisify } from 'node:util';

export const readFile = promisify(readFileCallback);
export const stat = promisify(statCallback);
export const readdir = promisify(readdirCallback);
