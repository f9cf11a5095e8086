import { ArgsType, Field, ID, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLJSONObject } from "graphql-scalars";

@ObjectType({ description: "One audited change: who, what, on which target, before/after of the changed fields" })
export class ActivityLogEntry {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true }) actorId: string | null;
  @Field() action: string;
  @Field() targetType: string;
  @Field(() => String, { nullable: true }) targetId: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) before: Record<string, unknown> | null;
  @Field(() => GraphQLJSONObject, { nullable: true }) after: Record<string, unknown> | null;
  @Field(() => String, { nullable: true }) ip: string | null;
  @Field(() => String, { nullable: true }) requestId: string | null;
  @Field(() => GraphQLDateTimeISO) createdAt: Date;
}

@ObjectType()
export class ActivityLogPage {
  @Field(() => [ActivityLogEntry]) items: ActivityLogEntry[];
  @Field(() => Int) total: number;
}

@ArgsType()
export class ActivityLogArgs {
  @Field(() => String, { nullable: true, description: "e.g. user" }) targetType?: string | null;
  @Field(() => String, { nullable: true }) targetId?: string | null;
  @Field(() => ID, { nullable: true }) actorId?: string | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "inclusive" }) from?: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "exclusive" }) to?: Date | null;
  @Field(() => Int, { defaultValue: 0 }) offset: number;
  @Field(() => Int, { defaultValue: 20 }) limit: number;
}
