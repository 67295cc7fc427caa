import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { cursorTimeSql, ListCursor } from '../common/pagination/list-cursor';
import { AdminReferralDto } from './dto/admin-referral.dto';

export type AdminReferralRow = AdminReferralDto & { cursorAt: string };

const SELECT_REFERRALS = `
SELECT r.id, r.status, r.reasons, r.created_at, r.converted_at, r.reviewed_at,
       ${cursorTimeSql('r.created_at')} AS cursor_at,
       ru.id AS referrer_id, ru.name AS referrer_name, ru.email AS referrer_email,
       ee.id AS referee_id, ee.name AS referee_name, ee.email AS referee_email,
       CASE WHEN r.status = 'flagged' THEN
         COALESCE((SELECT sum(h.amount) FROM held_awards h WHERE h.held_for @> ARRAY[r.id]), 0)
       ELSE 0 END::bigint AS held_points
  FROM referrals r
  JOIN users ru ON ru.id = r.referrer_id
  JOIN users ee ON ee.id = r.referee_id`;

@Injectable()
export class ReferralReviewRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(opts: { status?: string; limit: number; after?: ListCursor }): Promise<AdminReferralRow[]> {
    const rows = await this.db.query(
      `${SELECT_REFERRALS}
        WHERE ($1::text IS NULL OR r.status = $1)
          AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3::timestamptz, $4::uuid))
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT $2`,
      [opts.status ?? null, opts.limit, opts.after?.createdAt ?? null, opts.after?.id ?? null],
    );
    return rows.map(toRow);
  }

  async findOne(m: EntityManager, id: string): Promise<AdminReferralRow | null> {
    const [row] = await m.query(`${SELECT_REFERRALS} WHERE r.id = $1`, [id]);
    return row ? toRow(row) : null;
  }
}

function toRow(r: Record<string, any>): AdminReferralRow {
  return {
    id: r.id,
    status: r.status,
    reasons: r.reasons,
    referrer: { id: r.referrer_id, name: r.referrer_name, email: r.referrer_email },
    referee: { id: r.referee_id, name: r.referee_name, email: r.referee_email },
    createdAt: new Date(r.created_at).toISOString(),
    convertedAt: r.converted_at ? new Date(r.converted_at).toISOString() : null,
    reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
    heldPoints: Number(r.held_points),
    cursorAt: r.cursor_at,
  };
}
