import type { CommandSpec } from './command';
import { initCommand } from './commands/init';
import { verifyCommand } from './commands/verify';

/** Every CLI command, in help order. Each lives in its own module under commands/. */
export const COMMANDS: CommandSpec[] = [initCommand, verifyCommand];
