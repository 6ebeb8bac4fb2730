import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { headerFooterDisplayItem } from "@codegouvfr/react-dsfr/Display";
import { Header } from "@codegouvfr/react-dsfr/Header";

import { CurrentPageInMenu } from "@/components/CurrentPageInMenu";
import { paths } from "@/lib/paths";
import { service } from "@/lib/service";

const menu = [
  { text: "Accueil", href: paths.home },
  { text: "Statistiques", href: paths.stats },
  { text: "Budget", href: paths.budget },
  { text: "Aide et contact", href: paths.help },
];

// A server component: none of the header's code is sent to the browser, only its HTML.
export function SiteHeader() {
  return (
    <>
      <Header
        brandTop={
          <>
            République
            <br />
            française
          </>
        }
        homeLinkProps={{ href: paths.home, title: `Accueil — ${service.name}` }}
        serviceTitle={
          <>
            {service.name}{" "}
            <Badge as="span" noIcon severity="success" small>
              Bêta
            </Badge>
          </>
        }
        serviceTagline={service.description}
        quickAccessItems={[
          { iconId: "fr-icon-question-line", linkProps: { href: paths.help }, text: "Aide et contact" },
          headerFooterDisplayItem,
        ]}
        navigation={menu.map(({ text, href }) => ({ text, linkProps: { href } }))}
      />
      <CurrentPageInMenu />
    </>
  );
}
