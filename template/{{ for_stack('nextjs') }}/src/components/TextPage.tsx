import type { ReactNode } from "react";

import { Breadcrumb } from "./Breadcrumb";

// A page whose text lives in contenus/<page>.html: HTML written once by the template from your
// answers, then yours to edit. It is trusted content of the repository, never user input.
export function TextPage({
  title,
  path,
  html,
  children,
}: {
  title: string;
  path: string;
  html: string;
  children?: ReactNode;
}) {
  return (
    <>
      <Breadcrumb title={title} path={path} />
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-lg-10">
          <div dangerouslySetInnerHTML={{ __html: html }} />
          {children}
        </div>
      </div>
    </>
  );
}
