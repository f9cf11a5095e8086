import { ArgsType, Field, Int } from "type-graphql";
import { Max, Min } from "class-validator";
import { LessThan, type FindOptionsOrder, type FindOptionsWhere, type Repository } from "typeorm";
import { badInput } from "./errors";

/** A ULID as BaseEntity makes them (Crockford base32, 26 characters). */
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Cursor paging arguments: `first` rows after the opaque `after` cursor. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: "1 to 100" })
  @Min(1)
  @Max(100)
  first: number = 20;

  @Field(() => String, { nullable: true, description: "nextCursor of the previous page" })
  after?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cuts a result fetched with `first + 1` rows into a page and the cursor of the next one. */
export function toPage<T>(rows: T[], first: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, first);
  return { items, nextCursor: rows.length > first ? cursorOf(items[items.length - 1]) : null };
}

/** A cursor that is a ledger sequence number. */
export function seqCursor(after: string | null | undefined): number | null {
  if (after === undefined || after === null || after === "") return null;
  const seq = Number(after);
  if (!Number.isSafeInteger(seq) || seq < 1) throw badInput("Invalid cursor");
  return seq;
}

/** Newest first by ULID id (ids sort by creation time); the cursor is the last row's id. */
export async function idPage<T extends { id: string }>(
  repository: Repository<T>,
  where: FindOptionsWhere<T>,
  first: number,
  after?: string | null,
): Promise<Page<T>> {
  if (after && !ULID_PATTERN.test(after)) throw badInput("Invalid cursor");
  const rows = await repository.find({
    where: after ? ({ ...where, id: LessThan(after) } as FindOptionsWhere<T>) : where,
    order: { id: "DESC" } as FindOptionsOrder<T>,
    take: first + 1,
  });
  return toPage(rows, first, (row) => row.id);
}
