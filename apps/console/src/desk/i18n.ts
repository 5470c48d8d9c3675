import i18next from 'i18next';
import { deskEn, deskZh } from './strings.js';

// registered when the first desk page loads: these strings stay out of the sign-in bundle
if (!i18next.hasResourceBundle('en', 'desk')) {
  i18next.addResourceBundle('en', 'desk', deskEn);
  i18next.addResourceBundle('zh-CN', 'desk', deskZh);
}
