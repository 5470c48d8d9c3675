import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';

/** Handlers of routes that declare neither @Roles nor @Public, as "Controller.method". */
export function undeclaredRoutes(
  controllers: readonly (new (...args: never[]) => unknown)[],
  reflector: Reflector,
  scanner: MetadataScanner,
): string[] {
  const missing: string[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const targets = [handler, controller];
      const declared = reflector.getAllAndOverride<unknown>(ROLES_KEY, targets) ?? reflector.getAllAndOverride<unknown>(PUBLIC_KEY, targets);
      if (!declared) missing.push(`${controller.name}.${name}`);
    }
  }
  return missing;
}

/** Refuses to start an API with an endpoint that does not say who may call it. */
@Injectable()
export class RouteRolesCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const controllers = this.discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype)
      .filter((type): type is new (...args: never[]) => unknown => typeof type === 'function');
    const missing = undeclaredRoutes(controllers, this.reflector, this.scanner);
    if (missing.length > 0) throw new Error(`endpoints without @Roles or @Public: ${missing.join(', ')}`);
  }
}
