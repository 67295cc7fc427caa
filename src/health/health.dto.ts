import { ApiProperty } from '@nestjs/swagger';

export class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ enum: ['up'] }) database: 'up';
}

export class LiveDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

export class ReadyChecksDto {
  @ApiProperty({ enum: ['up'] }) database: 'up';
  @ApiProperty({ enum: ['applied'] }) migrations: 'applied';
  @ApiProperty({ enum: ['started'] }) jobs: 'started';
}

export class ReadyDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ type: ReadyChecksDto }) checks: ReadyChecksDto;
}
