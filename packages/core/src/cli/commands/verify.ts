import { escapeText } from '../../report/escape-text';
import type { CommandSpec } from '../command';
import { formatJson } from '../output';

export const verifyCommand: CommandSpec = {
  name: 'verify',
  summary: 'Re-hash every object and check every reference in every index (exit 1 on problems)',
  group: 'store',
  since: '0.1.0',
  readOnly: true,
  requiresStore: true,
  run(ctx) {
    const { verifyStore } =
      require('../../verify/verify-store') as typeof import('../../verify/verify-store');
    const report = verifyStore(ctx.openStore());
    if (ctx.json) ctx.stdout(formatJson(report));
    else {
      for (const p of report.problems)
        ctx.stdout(`${escapeText(`${p.kind}  ${p.file}${p.object ? `  ${p.object}` : ''}  ${p.message}`)}\n`);
      if (!ctx.quiet || !report.ok) {
        ctx.stdout(
          `${report.ok ? 'ok' : 'FAILED'}: ${report.objects_checked} objects re-hashed, ${report.references_checked} references and ${report.indexes_checked} indexes checked, ${report.problems.length} problems\n`,
        );
      }
    }
    return report.ok ? 0 : 1;
  },
};
