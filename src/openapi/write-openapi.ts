import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppModule } from '../app.module';
import { createOpenApiDocument } from './openapi-document';

/** `node dist/src/openapi/write-openapi.js <file>`: the served document, without a database or a listening server. */
async function main(file: string | undefined): Promise<void> {
  if (!file) throw new Error('usage: write-openapi <file>');
  const app = await NestFactory.create(AppModule, { preview: true, logger: false });
  try {
    writeFileSync(file, `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`write-openapi failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
