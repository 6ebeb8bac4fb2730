import type { Metadata } from "next";

import html from "@contenus/donnees-personnelles.html?raw";
import { PageScript } from "@/components/PageScript";
import { TextPage } from "@/components/TextPage";
import { paths } from "@/lib/paths";

const title = "Données personnelles";

export const metadata: Metadata = {
  title,
  description: "Données traitées par le service, finalités, durées de conservation, sous-traitants et vos droits.",
};

export default function Page() {
  return (
    <TextPage title={title} path={paths.privacy} html={html}>
      {/* The opt-out of audience measurement, first-party: fills the [data-opt-out] box of the text. */}
      <PageScript src="/pages/opposition.js" />
    </TextPage>
  );
}
