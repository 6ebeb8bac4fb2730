import type { Metadata } from "next";

import html from "@contenus/erreur-404.html?raw";

export const metadata: Metadata = {
  title: "Page non trouvée",
  description: "Cette page n'existe pas ou n'existe plus.",
};

export default function NotFound() {
  return (
    <div className="fr-my-7w fr-mt-md-12w fr-mb-md-10w fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-grid-row--center">
      <div className="fr-py-0 fr-col-12 fr-col-md-8" dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}
