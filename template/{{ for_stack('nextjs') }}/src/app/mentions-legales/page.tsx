import type { Metadata } from "next";

import html from "@contenus/mentions-legales.html?raw";
import { TextPage } from "@/components/TextPage";
import { paths } from "@/lib/paths";

const title = "Mentions légales";

export const metadata: Metadata = {
  title,
  description: "Éditeur, direction de la publication et hébergement du service.",
};

export default function Page() {
  return <TextPage title={title} path={paths.legalNotice} html={html} />;
}
