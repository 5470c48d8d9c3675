import 'reflect-metadata';
import { Controller, Get, Post } from '@nestjs/common';
import { MetadataScanner, Reflector } from '@nestjs/core';
import { Public, Roles } from './roles.decorator.js';
import { undeclaredRoutes } from './route-roles.check.js';

@Roles('admin')
@Controller('declared-on-class')
class DeclaredOnClass {
  @Get()
  list() {}

  @Roles('trainer')
  @Post()
  create() {}
}

@Controller('mixed')
class Mixed {
  @Public()
  @Get('open')
  open() {}

  @Roles('agent')
  @Get('mine')
  mine() {}

  @Get('forgotten')
  forgotten() {}

  helperThatIsNotARoute() {}
}

describe('undeclaredRoutes', () => {
  const check = (...controllers: (new () => unknown)[]) => undeclaredRoutes(controllers, new Reflector(), new MetadataScanner());

  it('accepts roles declared on the controller or the handler, and @Public', () => {
    expect(check(DeclaredOnClass)).toEqual([]);
  });

  it('names a route that declares nothing, and ignores methods that are not routes', () => {
    expect(check(DeclaredOnClass, Mixed)).toEqual(['Mixed.forgotten']);
  });
});
