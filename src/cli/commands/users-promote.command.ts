import { AuditLog } from '../../audit/audit-log';
import { runSerializable } from '../../database/serializable';
import { UsersRepository } from '../../users/users.repository';
import { CliCommand, CliError } from '../cli-command';

export const usersPromoteCommand: CliCommand = {
  name: 'users:promote',
  usage: 'users:promote <email>',
  description: 'Give the user with this email the admin role',
  async run({ dataSource }, args, out) {
    const email = args[0]?.trim();
    if (!email) throw new CliError('missing argument: usage: users:promote <email>');
    if (args.length > 1) throw new CliError('too many arguments: usage: users:promote <email>');
    const promoted = await runSerializable(dataSource, async (m) => {
      const change = await new UsersRepository(dataSource).setRoleByEmail(email, 'admin', m);
      if (change) {
        await new AuditLog().record(m, {
          actor: 'cli', action: 'user.promoted', targetType: 'user', targetId: change.id,
          before: { role: change.previousRole }, after: { role: 'admin' },
        });
      }
      return change;
    });
    if (!promoted) throw new CliError(`no active user with email ${email}`);
    out(`${email} is now an admin`);
    return 0;
  },
};
