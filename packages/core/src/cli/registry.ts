import type { CommandSpec } from './command';
import { apiCommand } from './commands/api';
import { initCommand } from './commands/init';
import { verifyCommand } from './commands/verify';
import { batchInitCommand, batchListCommand, batchShowCommand } from './commands/batch';
import { resumeCommand, runCommand, runShardCommand } from './commands/run';
import { snapshotCommand, snapshotListCommand, snapshotShowCommand } from './commands/snapshot-commands';
import { shardsCommand, statusCommand, summaryCommand, tasksCommand } from './commands/status';
import { diffCommand, improvementsCommand, regressionsCommand } from './commands/diff';
import { errorsCommand } from './commands/errors';
import { filesCommand, topCommand } from './commands/files';
import { indexBuildCommand } from './commands/index-build';
import { inspectCommand } from './commands/inspect';
import { queryDiagnosticsCommand, queryOutputsCommand, queryStatsCommand } from './commands/query';
import { explainMissCommand, manifestShowCommand } from './commands/manifest';
import { sessionsListCommand, sessionsShowCommand } from './commands/sessions';
import { eventsExportCommand, provenanceExportCommand } from './commands/provenance-export';
import { gcCommand } from '../gc/gc-command';

/** Every CLI command, in help order. Each lives in its own module under commands/. */
export const COMMANDS: CommandSpec[] = [
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
  eventsExportCommand,
];
