import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { httpLoggerOptions, logDestination } from './pino-options.js';

/** Structured logs for any Earshot process (install with app.useLogger(app.get(Logger)) from nestjs-pino). */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ pinoHttp: [httpLoggerOptions(config), logDestination(config.logFormat)] }),
    }),
  ],
  exports: [LoggerModule],
})
export class LoggingModule {}
