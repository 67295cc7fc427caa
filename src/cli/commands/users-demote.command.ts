import { AuditLog } from '../../audit/audit-log';
import { runSerializable } from '../../database/serializable';
import { UsersRepository } from '../../users/users.repository';
import { CliCommand, CliError } from '../cli-command';

export const usersDemoteCommand: CliCommand = {
  name: 'users:demote',
  usage: 'users:demote <email>',
  description: 'Take the admin role from the user with this email (its admin tokens stop working within 5 s)',
  async run({ dataSource }, args, out) {
    const email = args[0]?.trim();
    if (!email) throw new CliError('missing argument: usage: users:demote <email>');
    if (args.length > 1) throw new CliError('too many arguments: usage: users:demote <email>');
    const demoted = await runSerializable(dataSource, async (m) => {
      const change = await new UsersRepository(dataSource).setRoleByEmail(email, 'user', m);
      if (change) {
        await new AuditLog().record(m, {
          actor: 'cli', action: 'user.demoted', targetType: 'user', targetId: change.id,
          before: { role: change.previousRole }, after: { role: 'user' },
        });
      }
      return change;
    });
    if (!demoted) throw new CliError(`no active user with email ${email}`);
    out(`${email} is now a user`);
    return 0;
  },
};
