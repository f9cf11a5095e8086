import { Arg, Ctx, ID, Mutation, Query, Resolver, registerEnumType } from "type-graphql";
import { actorOf } from "../../core/actor";
import type { GraphQLContext } from "../../core/context";
import type { CmsService } from "./cms.service";
import type { SettingsService } from "./settings.service";
import type { StoreSettings } from "./settings.definitions";
import {
  BannerGql, BannerInput, FaqGql, FaqGroup, FaqInput, SeoMetaGql, SeoMetaInput, SocialLinkGql, SocialLinkInput,
  StoreSettingsGql, StoreSettingsInput,
} from "./cms.types";

export enum CmsItemKind {
  BANNER = "banner",
  FAQ = "faq",
  SEO_META = "seo_meta",
  SOCIAL_LINK = "social_link",
}
registerEnumType(CmsItemKind, { name: "CmsItemKind" });

@Resolver()
export class CmsResolver {
  constructor(
    private readonly cms: CmsService,
    private readonly settings: SettingsService,
  ) {}

  @Query(() => [BannerGql], { description: "banners showing now, by placement and sort" })
  banners(@Arg("placement", () => String, { nullable: true }) placement: string | null) {
    return this.cms.banners(placement ?? null);
  }

  @Query(() => [FaqGroup])
  async faqs(): Promise<FaqGroup[]> {
    const groups = new Map<string, FaqGql[]>();
    for (const faq of await this.cms.faqs()) groups.set(faq.groupName, [...(groups.get(faq.groupName) ?? []), faq]);
    return [...groups].map(([name, items]) => ({ name, items }));
  }

  @Query(() => SeoMetaGql, { nullable: true })
  seoMeta(@Arg("path") path: string) {
    return this.cms.seoMeta(path);
  }

  @Query(() => [SocialLinkGql])
  socialLinks() {
    return this.cms.socialLinks();
  }

  @Query(() => StoreSettingsGql)
  storeSettings(): Promise<StoreSettings> {
    return this.settings.get();
  }

  @Mutation(() => BannerGql)
  saveBanner(@Arg("id", () => ID, { nullable: true }) id: string | null, @Arg("input", () => BannerInput) input: BannerInput, @Ctx() ctx: GraphQLContext) {
    return this.cms.saveBanner(actorOf(ctx), id ?? null, input);
  }

  @Mutation(() => FaqGql)
  saveFaq(@Arg("id", () => ID, { nullable: true }) id: string | null, @Arg("input", () => FaqInput) input: FaqInput, @Ctx() ctx: GraphQLContext) {
    return this.cms.saveFaq(actorOf(ctx), id ?? null, input);
  }

  @Mutation(() => SeoMetaGql, { description: "creates or replaces the meta tags of a path" })
  saveSeoMeta(@Arg("input", () => SeoMetaInput) input: SeoMetaInput, @Ctx() ctx: GraphQLContext) {
    return this.cms.saveSeoMeta(actorOf(ctx), input);
  }

  @Mutation(() => SocialLinkGql)
  saveSocialLink(@Arg("id", () => ID, { nullable: true }) id: string | null, @Arg("input", () => SocialLinkInput) input: SocialLinkInput, @Ctx() ctx: GraphQLContext) {
    return this.cms.saveSocialLink(actorOf(ctx), id ?? null, input);
  }

  @Mutation(() => Boolean)
  deleteCmsItem(@Arg("kind", () => CmsItemKind) kind: CmsItemKind, @Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return this.cms.delete(actorOf(ctx), kind, id);
  }

  @Mutation(() => StoreSettingsGql, { description: "changes only the settings given" })
  updateStoreSettings(@Arg("input", () => StoreSettingsInput) input: StoreSettingsInput, @Ctx() ctx: GraphQLContext): Promise<StoreSettings> {
    return this.settings.update(actorOf(ctx), { ...input });
  }
}
