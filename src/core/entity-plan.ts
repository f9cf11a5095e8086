import type { EntityMetadata } from "typeorm";

/** Memoises what is built once per entity from TypeORM's metadata (a statement's head, its columns). */
export function perEntity<T>(build: (metadata: EntityMetadata) => T): (metadata: EntityMetadata) => T {
  const built = new WeakMap<EntityMetadata, T>();
  return (metadata) => {
    let value = built.get(metadata);
    if (value === undefined) {
      value = build(metadata);
      built.set(metadata, value);
    }
    return value;
  };
}
