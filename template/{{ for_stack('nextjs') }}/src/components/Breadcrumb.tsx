import { Link } from "@/components/Link";

import { paths } from "@/lib/paths";

// DSFR breadcrumb whose links all have an href (crawlers and Lighthouse ignore links without one).
export function Breadcrumb({ title, path }: { title: string; path: string }) {
  return (
    <nav role="navigation" className="fr-breadcrumb" aria-label="vous êtes ici :">
      <button type="button" className="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-d-ariane">
        Voir le fil d&apos;Ariane
      </button>
      <div className="fr-collapse" id="fil-d-ariane">
        <ol className="fr-breadcrumb__list">
          <li>
            <Link className="fr-breadcrumb__link" href={paths.home}>
              Accueil
            </Link>
          </li>
          <li>
            <a className="fr-breadcrumb__link" href={path} aria-current="page">
              {title}
            </a>
          </li>
        </ol>
      </div>
    </nav>
  );
}
