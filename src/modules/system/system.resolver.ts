import { Query, Resolver } from "type-graphql";
import { ServerInfo } from "./system.types";

@Resolver()
export class SystemResolver {
  constructor(private readonly info: { name: string; version: string; providersMode: string }) {}

  @Query(() => ServerInfo)
  serverInfo(): ServerInfo {
    return { ...this.info, time: new Date() };
  }
}
