import type { CommandSpec } from './command';
import { apiCommand } from './commands/api';
import { batchInitCommand, batchListCommand, batchShowCommand } from './commands/batch';
import { checkCommand } from './commands/check';
import { diffCommand, improvementsCommand, regressionsCommand } from './commands/diff';
import { errorsCommand } from './commands/errors';
import { filesCommand, topCommand } from './commands/files';
import { gcCommand } from './commands/gc';
import { indexBuildCommand } from './commands/index-build';
import { initCommand } from './commands/init';
import { inspectCommand } from './commands/inspect';
import { explainMissCommand, manifestShowCommand } from './commands/manifest';
import {
  eventsExportCommand,
  provenanceExportCommand,
  provenanceVerifyCommand,
} from './commands/provenance-export';
import { queryDiagnosticsCommand, queryOutputsCommand, queryStatsCommand } from './commands/query';
import { resumeCommand, runCommand, runShardCommand } from './commands/run';
import { sessionsListCommand, sessionsShowCommand } from './commands/sessions';
import { snapshotCommand, snapshotListCommand, snapshotShowCommand } from './commands/snapshot-commands';
import { shardsCommand, statusCommand, summaryCommand, tasksCommand } from './commands/status';
import { verifyCommand } from './commands/verify';

/** Every CLI command, in help order. Each lives in its own module under commands/. */
export const COMMANDS: CommandSpec[] = [
  checkCommand,
  initCommand,
  verifyCommand,
  snapshotCommand,
  snapshotListCommand,
  snapshotShowCommand,
  batchInitCommand,
  batchListCommand,
  batchShowCommand,
  runCommand,
  runShardCommand,
  resumeCommand,
  statusCommand,
  tasksCommand,
  shardsCommand,
  summaryCommand,
  apiCommand,
  queryOutputsCommand,
  queryDiagnosticsCommand,
  queryStatsCommand,
  errorsCommand,
  filesCommand,
  topCommand,
  inspectCommand,
  diffCommand,
  regressionsCommand,
  improvementsCommand,
  indexBuildCommand,
  gcCommand,
  manifestShowCommand,
  explainMissCommand,
  sessionsListCommand,
  sessionsShowCommand,
  provenanceExportCommand,
  provenanceVerifyCommand,
  eventsExportCommand,
];
