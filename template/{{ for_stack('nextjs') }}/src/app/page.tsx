import html from "@contenus/accueil.html?raw";

export default function Home() {
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-lg-10" dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}
