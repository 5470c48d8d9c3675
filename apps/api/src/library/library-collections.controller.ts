import { pipeline } from 'node:stream/promises';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditRepository, LibraryRepository } from '#libs/db';
import { decodePageCursor, encodePageCursor } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { LibraryExportService } from './library-export.service.js';
import { LibraryItemsService } from './library-items.service.js';
import { AddItemDto, CreateCollectionDto, PageQuery, UpdateCollectionDto, UpdateItemDto } from './library.dto.js';
import { presentCollection, presentItem } from './library.presenter.js';
import { ApiJsonBody, ApiMediaAnswer } from '../common/openapi.js';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });

@ApiTags('library')
@Roles('admin', 'qa_lead', 'trainer')
@Controller('v1/library/collections')
export class LibraryCollectionsController {
  constructor(
    private readonly library: LibraryRepository,
    private readonly items: LibraryItemsService,
    private readonly exporter: LibraryExportService,
    private readonly audit: AuditRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a collection of coaching examples' })
  @ApiCreatedResponse({ description: 'the collection' })
  @ApiJsonBody(CreateCollectionDto)
  async create(@Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(CreateCollectionDto, body, 'body');
    const name = nameOrThrow(dto.name);
    const collection = await this.library.createCollection({ name, description: dto.description?.trim() || null, createdBy: actor });
    await this.audit.append({ actor, action: 'library.collection.created', entityType: 'library_collection', entityId: collection.id, details: { name } });
    return presentCollection(collection);
  }

  @Get()
  @ApiOperation({ summary: 'Collections, newest first, cursor-paginated ({ items, nextCursor })' })
  async list(@Query() raw: Record<string, unknown>) {
    const query = await validateDto(PageQuery, raw, 'query');
    const limit = query.limit ?? 50;
    const rows = await this.library.listCollections({ limit: limit + 1, cursor: query.cursor ? decodePageCursor(query.cursor) : undefined });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(presentCollection), nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'The collection with its items, oldest first' })
  @ApiOkResponse({ description: 'the collection and its items' })
  @ApiNotFoundResponse({ description: 'no collection with this id' })
  async get(@Param('id', uuid) id: string) {
    const collection = await this.library.findCollection(id);
    if (!collection) throw new NotFoundError('library collection', id);
    return { ...presentCollection(collection), items: collection.items.map(presentItem) };
  }

  @Patch(':id')
  @ApiOperation({ summary: "Rename the collection or change its description (null clears it)" })
  @ApiJsonBody(UpdateCollectionDto)
  async update(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(UpdateCollectionDto, body, 'body');
    const patch: { name?: string; description?: string | null } = {};
    if (dto.name !== undefined) patch.name = nameOrThrow(dto.name);
    if (dto.description !== undefined) patch.description = dto.description?.trim() || null;
    if (Object.keys(patch).length === 0) throw new RequestValidationError(['body: nothing to change; give name or description']);
    const collection = await this.library.updateCollection(id, patch);
    if (!collection) throw new NotFoundError('library collection', id);
    await this.audit.append({ actor, action: 'library.collection.updated', entityType: 'library_collection', entityId: id, details: { changed: Object.keys(patch), ...(patch.name ? { name: patch.name } : {}) } });
    return presentCollection(collection);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the collection and its items (the calls, findings and clips stay)' })
  @ApiNoContentResponse({ description: 'deleted' })
  async remove(@Param('id', uuid) id: string, @Actor() actor: string): Promise<void> {
    if (!(await this.library.deleteCollection(id))) throw new NotFoundError('library collection', id);
    await this.audit.append({ actor, action: 'library.collection.deleted', entityType: 'library_collection', entityId: id });
  }

  @Post(':id/items')
  @ApiOperation({
    summary: 'Add an example: a finding ({ findingId, label }) or a span of a call ({ callId, startSeconds, endSeconds, label })',
    description: 'topics are trimmed, lower-cased and deduplicated (at most 20). A finding without time cannot be an item: add a span of its call.',
  })
  @ApiCreatedResponse({ description: 'the item' })
  @ApiJsonBody(AddItemDto)
  async addItem(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(AddItemDto, body, 'body');
    const item = await this.items.add(id, dto, actor);
    await this.audit.append({ actor, action: 'library.item.added', entityType: 'library_item', entityId: item.id, details: { collectionId: id, callId: item.callId, findingId: item.findingId, label: item.label } });
    return presentItem(item);
  }

  @Patch(':id/items/:itemId')
  @ApiOperation({ summary: "Change an item's label, topics (replaced) or notes (null clears them)" })
  @ApiJsonBody(UpdateItemDto)
  async updateItem(@Param('id', uuid) id: string, @Param('itemId', uuid) itemId: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(UpdateItemDto, body, 'body');
    const item = await this.items.update(id, itemId, dto);
    await this.audit.append({ actor, action: 'library.item.updated', entityType: 'library_item', entityId: itemId, details: { collectionId: id, callId: item.callId, changed: Object.keys(dto).filter((key) => dto[key as keyof UpdateItemDto] !== undefined) } });
    return presentItem(item);
  }

  @Delete(':id/items/:itemId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an item from the collection' })
  async removeItem(@Param('id', uuid) id: string, @Param('itemId', uuid) itemId: string, @Actor() actor: string): Promise<void> {
    if (!(await this.library.deleteItem(id, itemId))) throw new NotFoundError('library item', `${itemId} in collection ${id}`);
    await this.audit.append({ actor, action: 'library.item.removed', entityType: 'library_item', entityId: itemId, details: { collectionId: id } });
  }

  @Get(':id/export')
  @ApiOperation({
    summary: 'The collection as a zip: clips, redacted transcript excerpts and manifest.json (audited)',
    description:
      "clips/<n>-<label>-<itemId>.mp3 (the finding's clip, else cut from the call's redacted recording), excerpts/<n>-<itemId>.txt, " +
      'manifest.json with every item (a null clip says why) and the name, size and sha256 of every other file.',
  })
  @ApiMediaAnswer(['application/zip'], { description: 'the archive' })
  async export(@Param('id', uuid) id: string, @Actor() actor: string, @Res() response: Response): Promise<void> {
    const result = await this.exporter.export(id, actor);
    response.status(200).set({
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${result.fileName}"`,
      'x-earshot-manifest-sha256': result.manifestSha256,
    });
    try {
      await pipeline(result.zip, response);
    } catch (error) {
      response.destroy(error as Error);
    }
  }
}

function nameOrThrow(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new RequestValidationError(['body.name: must not be empty']);
  return name;
}
