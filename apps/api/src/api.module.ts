import { tmpdir } from 'node:os';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig, ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { PipelineModule } from '#libs/pipeline';
import { CallsController } from './calls/calls.controller.js';
import { HealthController } from './health/health.controller.js';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    PipelineModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        dest: tmpdir(),
        limits: { fileSize: config.http.uploadMaxBytes, files: 2, fields: 4, fieldSize: 1024 * 1024 },
      }),
    }),
  ],
  controllers: [CallsController, HealthController],
})
export class ApiModule {}
