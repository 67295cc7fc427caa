import { checkLedger } from '../../points/ledger-check';
import { CliCommand } from '../cli-command';

export const ledgerVerifyCommand: CliCommand = {
  name: 'ledger:verify',
  usage: 'ledger:verify',
  description: 'Check every balance against its ledger entries, the entry rules and the per-order rules of awards, clawbacks and redeems; exits 1 on any difference',
  async run({ dataSource }, _args, out) {
    const problems = await checkLedger(dataSource);
    if (problems.length === 0) {
      out('ledger ok: every balance equals the sum of its entries');
      return 0;
    }
    for (const p of problems) {
      const values = p.expected !== undefined || p.actual !== undefined ? ` (expected ${p.expected ?? '-'}, actual ${p.actual ?? '-'})` : '';
      out(`user ${p.userId ?? '-'}: ${p.problem}${values}`);
    }
    out(`${problems.length} difference(s) found`);
    return 1;
  },
};
