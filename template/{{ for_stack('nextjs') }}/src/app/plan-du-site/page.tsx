import type { Metadata } from "next";

import html from "@contenus/plan-du-site.html?raw";
import { TextPage } from "@/components/TextPage";
import { paths } from "@/lib/paths";

const title = "Plan du site";

export const metadata: Metadata = {
  title,
  description: "Toutes les pages du service.",
};

export default function Page() {
  return <TextPage title={title} path={paths.sitemap} html={html} />;
}
