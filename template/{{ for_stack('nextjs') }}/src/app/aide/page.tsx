import type { Metadata } from "next";

import html from "@contenus/aide.html?raw";
import { TextPage } from "@/components/TextPage";
import { paths } from "@/lib/paths";

const title = "Aide et contact";

export const metadata: Metadata = {
  title,
  description: "Obtenir de l'aide et écrire à l'équipe du service.",
};

export default function Page() {
  return <TextPage title={title} path={paths.help} html={html} />;
}
