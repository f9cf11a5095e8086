// Barrel so the resolver and service import CMS rows from one place; each entity has its own file.
export { Banner } from "./banner.entity";
export { Faq } from "./faq.entity";
export { SeoMeta } from "./seo-meta.entity";
export { SocialLink } from "./social-link.entity";
export { StoreSetting } from "./store-setting.entity";
