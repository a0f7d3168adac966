import fs from 'node:fs';
import os from 'node:os';
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { loadEngine } from './engine';
import { runAction } from './flow';
import type { ActionsHost } from './host';

/** The bundle's entry: binds @actions/core and @actions/cache, then runs the flow. */
const host: ActionsHost = {
  getInput: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  setSecret: (value) => core.setSecret(value),
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  writeLine: (line) => process.stdout.write(line + os.EOL),
  group: (name, fn) => core.group(name, fn),
  setFailed: (message) => core.setFailed(message),
  appendSummary: async (markdown) => {
    await core.summary.addRaw(markdown).write();
  },
  restoreCache: (paths, primaryKey, restoreKeys) => cache.restoreCache(paths, primaryKey, restoreKeys),
  saveCache: (paths, key) => cache.saveCache(paths, key),
  isCacheAvailable: () => cache.isFeatureAvailable(),
};

await runAction({ host, env: process.env, loadEngine, readFile: (file) => fs.readFileSync(file, 'utf8') });
