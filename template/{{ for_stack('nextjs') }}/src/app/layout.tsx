import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Display } from "@codegouvfr/react-dsfr/Display";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";

import { MatomoPageViews } from "@/components/MatomoPageViews";
import { SiteFooter } from "@/components/SiteFooter";
import { SiteHeader } from "@/components/SiteHeader";
import { DsfrHead, getHtmlAttributes } from "@/dsfr/head";
import { DsfrProvider } from "@/dsfr/provider";
import { service } from "@/lib/service";
import { readSettings } from "@/lib/settings";

export async function generateMetadata(): Promise<Metadata> {
  return {
    metadataBase: new URL(readSettings().siteUrl),
    title: { default: service.name, template: `%s — ${service.name}` },
    description: service.description,
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request makes every page rendered per request, each with its own nonce.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const { matomo } = readSettings();
  return (
    <html {...getHtmlAttributes({ lang: "fr" })}>
      <head>
        <DsfrHead nonce={nonce} />
      </head>
      <body>
        <DsfrProvider>
          <SkipLinks
            links={[
              { anchor: "#contenu", label: "Contenu" },
              { anchor: "#fr-header-main-navigation", label: "Menu" },
              { anchor: "#pied-de-page", label: "Pied de page" },
            ]}
          />
          <SiteHeader />
          <main id="contenu" role="main" tabIndex={-1}>
            <div className="fr-container fr-my-6w">{children}</div>
          </main>
          <SiteFooter />
          <Display />
          {matomo && <MatomoPageViews />}
        </DsfrProvider>
        {matomo && (
          // Cookie-less Matomo, from a file of the site (no inline script); see docs/matomo.md.
          <script src="/pages/suivi.js" data-matomo-url={matomo.url} data-matomo-site-id={matomo.siteId} defer />
        )}
      </body>
    </html>
  );
}
