import type { Metadata } from "next";

import html from "@contenus/accessibilite.html?raw";
import { TextPage } from "@/components/TextPage";
import { paths } from "@/lib/paths";

const title = "Accessibilité";

export const metadata: Metadata = {
  title,
  description: "Déclaration d'accessibilité du service : état de conformité, documents et recours.",
};

export default function Page() {
  return <TextPage title={title} path={paths.accessibility} html={html} />;
}
