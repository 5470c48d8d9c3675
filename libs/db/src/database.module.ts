import { Global, Module } from '@nestjs/common';
import { PRISMA_SERVICE_PROVIDER, PrismaService } from './prisma.service.js';
import { CallRepository } from './repositories/call.repository.js';
import { CallResultsRepository } from './repositories/call-results.repository.js';
import { RollupRepository } from './repositories/rollup.repository.js';

@Global()
@Module({
  providers: [PRISMA_SERVICE_PROVIDER, CallRepository, CallResultsRepository, RollupRepository],
  exports: [PrismaService, CallRepository, CallResultsRepository, RollupRepository],
})
export class DatabaseModule {}
