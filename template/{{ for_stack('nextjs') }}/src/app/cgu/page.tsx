import type { Metadata } from "next";

import html from "@contenus/cgu.html?raw";
import { TextPage } from "@/components/TextPage";
import { paths } from "@/lib/paths";

const title = "Conditions générales d'utilisation";

export const metadata: Metadata = {
  title,
  description: "Les règles d'utilisation du service.",
};

export default function Page() {
  return <TextPage title={title} path={paths.terms} html={html} />;
}
