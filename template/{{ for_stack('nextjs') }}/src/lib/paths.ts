// The address of every page; the page texts (contenus/*.html), the footer and the tests use the same.
export const paths = {
  home: "/",
  accessibility: "/accessibilite/",
  legalNotice: "/mentions-legales/",
  privacy: "/donnees-personnelles/",
  terms: "/cgu/",
  stats: "/stats/",
  budget: "/budget/",
  help: "/aide/",
  sitemap: "/plan-du-site/",
} as const;
