import { Field, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";

@ObjectType({ description: "What this store is and where it runs" })
export class ServerInfo {
  @Field()
  name: string;

  @Field()
  version: string;

  @Field(() => GraphQLDateTimeISO)
  time: Date;

  @Field({ description: "sandbox: every provider is the built-in simulator" })
  providersMode: string;
}
