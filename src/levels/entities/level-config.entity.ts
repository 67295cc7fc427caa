import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../../database/bigint.transformer';

@Entity('level_configs')
export class LevelConfigEntity {
  @PrimaryColumn({ type: 'integer' })
  level: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'min_points', type: 'bigint', transformer: bigintTransformer })
  minPoints: number;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  perks: string[];
}
