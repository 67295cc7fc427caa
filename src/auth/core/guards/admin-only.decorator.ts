import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { JwtAuthGuard } from './jwt-auth.guard';
import { Roles, RolesGuard } from './roles.guard';

/** A valid token (401 otherwise) of an admin (403 otherwise), documented as such. */
export const AdminOnly = () =>
  applyDecorators(
    UseGuards(JwtAuthGuard, RolesGuard),
    Roles('admin'),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'UNAUTHORIZED' }),
    ApiForbiddenResponse({ description: 'FORBIDDEN: admins only' }),
  );
