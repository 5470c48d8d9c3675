import type { ExampleCall, LibraryCollectionRecord, LibraryItemRecord } from '#libs/db';

export function presentCollection(collection: LibraryCollectionRecord) {
  return {
    id: collection.id,
    name: collection.name,
    description: collection.description,
    itemCount: collection.itemCount,
    createdBy: collection.createdBy,
    createdAt: collection.createdAt.toISOString(),
    updatedAt: collection.updatedAt.toISOString(),
  };
}

export function presentItem(item: LibraryItemRecord) {
  return {
    id: item.id,
    collection: item.collection,
    callId: item.callId,
    findingId: item.findingId,
    startSeconds: item.startSeconds,
    endSeconds: item.endSeconds,
    label: item.label,
    topics: item.topics,
    notes: item.notes,
    createdBy: item.createdBy,
    createdAt: item.createdAt.toISOString(),
    call: { ...item.call, startedAt: item.call.startedAt.toISOString() },
    finding: item.finding,
  };
}

export function presentExample(example: ExampleCall) {
  return { ...example, startedAt: example.startedAt.toISOString() };
}
