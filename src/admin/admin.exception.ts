import { defineException } from '../common/errors/app.exception';

export enum AdminErrorCode {
  USER_NOT_FOUND = 'USER_NOT_FOUND',
}

export const AdminException = defineException<AdminErrorCode>('AdminException', {
  USER_NOT_FOUND: 404,
});
