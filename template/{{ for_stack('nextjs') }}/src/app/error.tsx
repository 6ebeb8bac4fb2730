"use client";

import html from "@contenus/erreur-500.html?raw";

// Shown when a page fails; the error itself goes to the server's logs (and to Sentry when it is set).
export default function Error() {
  return (
    <div className="fr-my-7w fr-mt-md-12w fr-mb-md-10w fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-grid-row--center">
      <div className="fr-py-0 fr-col-12 fr-col-md-8" dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}
