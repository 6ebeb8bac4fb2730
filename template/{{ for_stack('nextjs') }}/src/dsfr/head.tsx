import { Link } from "@/components/Link";
import { DsfrHeadBase, createGetHtmlAttributes } from "@codegouvfr/react-dsfr/next-app-router/server-only-index";

import { defaultColorScheme } from "./color-scheme";

export const { getHtmlAttributes } = createGetHtmlAttributes({ defaultColorScheme });

// The DSFR's stylesheet, favicons and fonts, all served by the application itself (no CDN).
export function DsfrHead({ nonce }: { nonce: string | undefined }) {
  return (
    <DsfrHeadBase
      Link={Link}
      nonce={nonce}
      preloadFonts={["Marianne-Regular", "Marianne-Bold"]}
    />
  );
}
