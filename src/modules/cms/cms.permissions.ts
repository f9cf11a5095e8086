import { hasRole, isPublic } from "../../core/permission-rules";
import { Role } from "../identity/role";

const admin = hasRole(Role.ADMIN);

export const cmsPermissions = {
  Query: { banners: isPublic, faqs: isPublic, seoMeta: isPublic, socialLinks: isPublic, storeSettings: isPublic },
  Mutation: {
    saveBanner: admin,
    saveFaq: admin,
    saveSeoMeta: admin,
    saveSocialLink: admin,
    deleteCmsItem: admin,
    updateStoreSettings: admin,
  },
  Banner: isPublic,
  Faq: isPublic,
  FaqGroup: isPublic,
  SeoMeta: isPublic,
  SocialLink: isPublic,
  StoreSettings: isPublic,
};
