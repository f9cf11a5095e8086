import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { GraphQLDateTimeISO, GraphQLSafeInt } from "graphql-scalars";

@ObjectType("Banner")
export class BannerGql {
  @Field(() => ID) id: string;
  @Field() title: string;
  @Field() imageUrl: string;
  @Field(() => String, { nullable: true }) linkUrl: string | null;
  @Field() placement: string;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) startsAt: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) endsAt: Date | null;
  @Field(() => Int) sort: number;
  @Field() active: boolean;
}

@InputType()
export class BannerInput {
  @Field() title: string;
  @Field() imageUrl: string;
  @Field(() => String, { nullable: true }) linkUrl?: string | null;
  @Field() placement: string;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) startsAt?: Date | null;
  @Field(() => GraphQLDateTimeISO, { nullable: true }) endsAt?: Date | null;
  @Field(() => Int, { nullable: true }) sort?: number;
  @Field({ nullable: true }) active?: boolean;
}

@ObjectType("Faq")
export class FaqGql {
  @Field(() => ID) id: string;
  @Field() groupName: string;
  @Field() question: string;
  @Field() answer: string;
  @Field(() => Int) sort: number;
}

@ObjectType()
export class FaqGroup {
  @Field() name: string;
  @Field(() => [FaqGql]) items: FaqGql[];
}

@InputType()
export class FaqInput {
  @Field() groupName: string;
  @Field() question: string;
  @Field() answer: string;
  @Field(() => Int, { nullable: true }) sort?: number;
  @Field({ nullable: true }) active?: boolean;
}

@ObjectType("SeoMeta")
export class SeoMetaGql {
  @Field(() => ID) id: string;
  @Field({ description: 'a page path ("/", "/faq") or "product:<slug>"' }) path: string;
  @Field() title: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => String, { nullable: true }) imageUrl: string | null;
  @Field(() => String, { nullable: true }) canonicalUrl: string | null;
}

@InputType()
export class SeoMetaInput {
  @Field() path: string;
  @Field() title: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
  @Field(() => String, { nullable: true }) canonicalUrl?: string | null;
}

@ObjectType("SocialLink")
export class SocialLinkGql {
  @Field(() => ID) id: string;
  @Field() platform: string;
  @Field() url: string;
  @Field(() => Int) sort: number;
}

@InputType()
export class SocialLinkInput {
  @Field() platform: string;
  @Field() url: string;
  @Field(() => Int, { nullable: true }) sort?: number;
}

@ObjectType("StoreSettings", { description: "Typed store settings; unset ones show their defaults" })
export class StoreSettingsGql {
  @Field() storeName: string;
  @Field() contactEmail: string;
  @Field() contactWhatsapp: string;
  @Field() contactAddress: string;
  @Field(() => Int, { description: "basis points: 1100 = 11 %" }) taxRateBp: number;
  @Field() taxInclusive: boolean;
  @Field(() => GraphQLSafeInt, { description: "one point per this many rupiah paid" }) pointsEarnPerRupiah: number;
  @Field(() => GraphQLSafeInt) pointValueRupiah: number;
  @Field(() => Int, { description: "basis points of an order total points may pay" }) pointsMaxRedeemShareBp: number;
  @Field(() => GraphQLSafeInt) walletMinTopup: number;
  @Field(() => GraphQLSafeInt) walletMaxTopup: number;
  @Field(() => GraphQLSafeInt) walletMaxBalance: number;
  @Field(() => Int) orderExpiryMinutes: number;
}

@InputType()
export class StoreSettingsInput {
  @Field(() => String, { nullable: true }) storeName?: string;
  @Field(() => String, { nullable: true }) contactEmail?: string;
  @Field(() => String, { nullable: true }) contactWhatsapp?: string;
  @Field(() => String, { nullable: true }) contactAddress?: string;
  @Field(() => Int, { nullable: true }) taxRateBp?: number;
  @Field(() => Boolean, { nullable: true }) taxInclusive?: boolean;
  @Field(() => GraphQLSafeInt, { nullable: true }) pointsEarnPerRupiah?: number;
  @Field(() => GraphQLSafeInt, { nullable: true }) pointValueRupiah?: number;
  @Field(() => Int, { nullable: true }) pointsMaxRedeemShareBp?: number;
  @Field(() => GraphQLSafeInt, { nullable: true }) walletMinTopup?: number;
  @Field(() => GraphQLSafeInt, { nullable: true }) walletMaxTopup?: number;
  @Field(() => GraphQLSafeInt, { nullable: true }) walletMaxBalance?: number;
  @Field(() => Int, { nullable: true }) orderExpiryMinutes?: number;
}
