import { ArgsType, Field, ID, ObjectType } from "type-graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import { LedgerEntryFields } from "../../core/ledger-types";
import { Length } from "class-validator";
import { PageArgs } from "../../core/paging";
import { BalanceMutationType } from "./balance-mutation.entity";

@ObjectType({ description: "A user's rupiah balance" })
export class WalletInfo {
  @Field(() => ID)
  userId: string;

  @Field(() => GraphQLSafeInt, { description: "Rupiah" })
  balance: number;

  @Field({ description: "Reseller pays retail through a gateway and gets the margin back as CASHBACK" })
  cashbackMode: boolean;
}

@ObjectType({ description: "One wallet ledger entry (mutasi saldo), amounts in rupiah" })
export class BalanceMutationInfo extends LedgerEntryFields {
  @Field(() => BalanceMutationType)
  type: BalanceMutationType;
}

@ObjectType()
export class BalanceMutationPage {
  @Field(() => [BalanceMutationInfo])
  items: BalanceMutationInfo[];

  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page; null on the last" })
  nextCursor: string | null;
}

@ArgsType()
export class UserArgs {
  @Field(() => ID)
  userId: string;
}

@ArgsType()
export class UserPageArgs extends PageArgs {
  @Field(() => ID)
  userId: string;
}

@ArgsType()
export class AdjustWalletArgs {
  @Field(() => ID)
  userId: string;

  @Field(() => GraphQLSafeInt, { description: "Rupiah; negative takes money (never below zero)" })
  amount: number;

  @Field()
  @Length(3, 500)
  reason: string;
}

@ArgsType()
export class CashbackModeArgs {
  @Field(() => ID)
  userId: string;

  @Field()
  on: boolean;
}
