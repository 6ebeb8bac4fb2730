import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { Footer } from "@codegouvfr/react-dsfr/Footer";

import { paths } from "@/lib/paths";
import { service } from "@/lib/service";

// react-dsfr's footer (its institutional links are kept) with the service's mandatory pages. It writes
// « Accessibilité : non conforme » and « Mentions légales » itself; DashLord looks for those words and
// for « Données personnelles »: keep these labels.
export function SiteFooter() {
  return (
    <Footer
      id="pied-de-page"
      accessibility={service.accessibility}
      accessibilityLinkProps={{ href: paths.accessibility }}
      termsLinkProps={{ href: paths.legalNotice }}
      websiteMapLinkProps={{ href: paths.sitemap }}
      homeLinkProps={{ href: paths.home, title: `Retour à l'accueil — ${service.name}` }}
      brandTop={
        <>
          République
          <br />
          française
        </>
      }
      contentDescription={
        `${service.name} est une startup d'État du réseau beta.gouv.fr, ` +
        `accompagnée par ${service.incubatorInSentence}. ` +
        `Éditeur : ${service.publisher || "administration porteuse, nom à compléter"}.`
      }
      bottomItems={[
        { text: "Données personnelles", linkProps: { href: paths.privacy } },
        { text: "Conditions générales d'utilisation", linkProps: { href: paths.terms } },
        { text: "Statistiques", linkProps: { href: paths.stats } },
        { text: "Budget", linkProps: { href: paths.budget } },
        { text: "Aide et contact", linkProps: { href: paths.help } },
        { text: "Code source", linkProps: { href: service.repositoryUrl } },
        headerFooterDisplayItem,
      ]}
    />
  );
}
