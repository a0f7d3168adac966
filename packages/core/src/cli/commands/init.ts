import { escapeText } from '../../report/escape-text';
import { initStore } from '../../store/store';
import type { CommandSpec } from '../command';
import { formatJson } from '../output';

export const initCommand: CommandSpec = {
  name: 'init',
  summary: 'Create a store (store.json, objects/, snapshots/, batches/, indexes/)',
  group: 'store',
  since: '0.1.0',
  readOnly: false,
  requiresStore: false,
  positionals: [{ name: 'dir', description: 'Store directory (default: --store, or .codebatch)' }],
  run(ctx) {
    const dir = ctx.positionals[0] ?? ctx.storeDir;
    const { store, created } = initStore(dir);
    if (ctx.json) ctx.stdout(formatJson({ store: store.layout.root, created, record: store.record }));
    else if (!ctx.quiet)
      ctx.stdout(`${created ? 'Created' : 'Already a store:'} ${escapeText(store.layout.root)}\n`);
    return 0;
  },
};
