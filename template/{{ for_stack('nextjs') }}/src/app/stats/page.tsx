import type { Metadata } from "next";

import html from "@contenus/stats.html?raw";
import { TextPage } from "@/components/TextPage";
import { dashboardUrl, monthlyVisits } from "@/lib/matomo";
import { paths } from "@/lib/paths";
import { readSettings } from "@/lib/settings";

const title = "Statistiques";

export const metadata: Metadata = {
  title,
  description: "Les indicateurs d'impact du service et sa fréquentation.",
};

export default async function Page() {
  const { matomo } = readSettings();
  const visits = matomo ? await monthlyVisits(matomo) : null;
  return (
    <TextPage title={title} path={paths.stats} html={html}>
      <h2>Fréquentation du site</h2>
      {visits ? (
        <>
          <div className="fr-table">
            <div className="fr-table__wrapper">
              <div className="fr-table__container">
                <div className="fr-table__content">
                  <table>
                    <caption>Visites par mois, mesurées par Matomo</caption>
                    <thead>
                      <tr>
                        <th scope="col">Mois</th>
                        <th scope="col">Visites</th>
                        <th scope="col">Pages vues et actions</th>
                      </tr>
                    </thead>
                    <tbody>
                      {visits.map((row) => (
                        <tr key={row.month}>
                          <th scope="row">{row.month}</th>
                          <td>{row.visits}</td>
                          <td>{row.actions}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
          <p>
            Le détail est consultable sur le <a href={dashboardUrl(matomo!)}>tableau de bord public de Matomo</a>.
          </p>
        </>
      ) : matomo ? (
        <p>
          Les chiffres de fréquentation ne sont pas disponibles pour le moment. Ils s&apos;afficheront ici dès que
          les statistiques du site seront ouvertes en lecture à toutes et à tous dans Matomo.
        </p>
      ) : (
        <p>
          La mesure d&apos;audience n&apos;est pas encore active sur ce site : les chiffres de fréquentation
          s&apos;afficheront ici dès qu&apos;elle le sera.
        </p>
      )}
    </TextPage>
  );
}
