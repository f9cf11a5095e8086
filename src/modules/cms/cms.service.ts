import { type DataSource, type EntityTarget, type ObjectLiteral } from "typeorm";
import { newId } from "../../core/ids";
import type { Actor } from "../../core/actor";
import { badInput, conflict, notFound } from "../../core/errors";
import { auditFields, type AuditService } from "../audit/audit.service";
import { Banner, Faq, SeoMeta, SocialLink } from "./cms.entities";

export interface BannerFields { title: string; imageUrl: string; linkUrl?: string | null; placement: string; startsAt?: Date | null; endsAt?: Date | null; sort?: number; active?: boolean }
export interface FaqFields { groupName: string; question: string; answer: string; sort?: number; active?: boolean }
export interface SeoFields { path: string; title: string; description?: string | null; imageUrl?: string | null; canonicalUrl?: string | null }
export interface SocialFields { platform: string; url: string; sort?: number }

const URL_OR_PATH = /^(https?:\/\/|\/)\S+$/;
const HTTP_URL = /^https?:\/\/\S+$/;

/** Banners, FAQs, SEO meta and social links: public reads, audited admin writes. */
export class CmsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Active banners of a placement whose schedule covers `now`. */
  async banners(placement: string | null, now = new Date()): Promise<Banner[]> {
    const query = this.dataSource
      .getRepository(Banner)
      .createQueryBuilder("b")
      .where("b.active = 1")
      .andWhere("(b.starts_at IS NULL OR b.starts_at <= :now)", { now })
      .andWhere("(b.ends_at IS NULL OR b.ends_at > :now)", { now });
    if (placement) query.andWhere("b.placement = :placement", { placement });
    return query.orderBy("b.placement").addOrderBy("b.sort").addOrderBy("b.id").getMany();
  }

  faqs(): Promise<Faq[]> {
    return this.dataSource.getRepository(Faq).find({ where: { active: true }, order: { groupName: "ASC", sort: "ASC", id: "ASC" } });
  }

  seoMeta(path: string): Promise<SeoMeta | null> {
    return this.dataSource.getRepository(SeoMeta).findOne({ where: { path } });
  }

  socialLinks(): Promise<SocialLink[]> {
    return this.dataSource.getRepository(SocialLink).find({ order: { sort: "ASC", id: "ASC" } });
  }

  saveBanner(actor: Actor, id: string | null, input: BannerFields): Promise<Banner> {
    const values = {
      title: text(input.title, "title", 160),
      imageUrl: url(input.imageUrl, "imageUrl", URL_OR_PATH)!,
      linkUrl: input.linkUrl ? url(input.linkUrl, "linkUrl", URL_OR_PATH) : null,
      placement: slugish(input.placement, "placement"),
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
      sort: input.sort ?? 0,
      active: input.active ?? true,
    };
    if (values.startsAt && values.endsAt && values.endsAt <= values.startsAt) throw badInput("endsAt must be after startsAt", { field: "endsAt" });
    return this.save(actor, Banner, "banner", id, values);
  }

  saveFaq(actor: Actor, id: string | null, input: FaqFields): Promise<Faq> {
    return this.save(actor, Faq, "faq", id, {
      groupName: text(input.groupName, "groupName", 80),
      question: text(input.question, "question", 300),
      answer: text(input.answer, "answer", 10_000),
      sort: input.sort ?? 0,
      active: input.active ?? true,
    });
  }

  async saveSeoMeta(actor: Actor, input: SeoFields): Promise<SeoMeta> {
    const path = input.path.trim();
    if (!/^(\/\S*|product:[a-z0-9-]+)$/.test(path) || path.length > 190) throw badInput('path must be a page path ("/faq") or "product:<slug>"', { field: "path" });
    const existing = await this.dataSource.getRepository(SeoMeta).findOne({ where: { path }, select: { id: true } });
    return this.save(actor, SeoMeta, "seo_meta", existing?.id ?? null, {
      path,
      title: text(input.title, "title", 160),
      description: input.description ? text(input.description, "description", 320) : null,
      imageUrl: input.imageUrl ? url(input.imageUrl, "imageUrl", URL_OR_PATH) : null,
      canonicalUrl: input.canonicalUrl ? url(input.canonicalUrl, "canonicalUrl", HTTP_URL) : null,
    });
  }

  saveSocialLink(actor: Actor, id: string | null, input: SocialFields): Promise<SocialLink> {
    return this.save(actor, SocialLink, "social_link", id, {
      platform: slugish(input.platform, "platform"),
      url: url(input.url, "url", HTTP_URL)!,
      sort: input.sort ?? 0,
    });
  }

  /** Deletes one CMS row (banner, faq, seo_meta, social_link), audited. */
  async delete(actor: Actor, kind: keyof typeof TABLES, id: string): Promise<boolean> {
    const entity = TABLES[kind];
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(entity, { where: { id } });
      if (!row) throw notFound(kind);
      await manager.delete(entity, { id });
      await this.audit.record(manager, { actorId: actor.userId, ip: actor.ip, action: `${kind}.delete`, targetType: kind, targetId: id, before: auditFields(row) });
    });
    return true;
  }

  private async save<E extends ObjectLiteral & { id: string }>(actor: Actor, entity: EntityTarget<E>, name: string, id: string | null, values: Partial<E>): Promise<E> {
    return this.dataSource.transaction(async (manager) => {
      const before = id ? await manager.findOne(entity, { where: { id } as never }) : null;
      if (id && !before) throw notFound(name);
      const rowId = id ?? newId();
      try {
        if (before) await manager.update(entity, { id: rowId } as never, values as never);
        else await manager.insert(entity, { ...values, id: rowId } as never);
      } catch (error) {
        if ((error as { code?: string }).code === "ER_DUP_ENTRY") throw conflict(`This ${name} already exists`);
        throw error;
      }
      const after = await manager.findOneOrFail(entity, { where: { id: rowId } as never });
      await this.audit.record(manager, {
        actorId: actor.userId, ip: actor.ip, action: `${name}.${before ? "update" : "create"}`, targetType: name, targetId: rowId,
        before: before ? auditFields(before) : null, after: auditFields(after),
      });
      return after;
    });
  }
}

const TABLES = { banner: Banner, faq: Faq, seo_meta: SeoMeta, social_link: SocialLink } as const;

function text(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max) throw badInput(`${field} must be 1 to ${max} characters`, { field });
  return trimmed;
}

function url(value: string, field: string, pattern: RegExp): string {
  const trimmed = value.trim();
  if (!pattern.test(trimmed) || trimmed.length > 500) throw badInput(`${field} is not a valid URL`, { field });
  return trimmed;
}

function slugish(value: string, field: string): string {
  const trimmed = value.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(trimmed)) throw badInput(`${field} must be lower-case letters, digits, - or _`, { field });
  return trimmed;
}

