import { ArgsType, Field, Int } from "type-graphql";
import { Max, Min } from "class-validator";
import { badInput } from "./errors";

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
