import type { Metadata } from "next";

import html from "@contenus/budget.html?raw";
import { TextPage } from "@/components/TextPage";
import { paths } from "@/lib/paths";

const title = "Budget";

export const metadata: Metadata = {
  title,
  description: "Ce que coûte le service, poste par poste, et qui le finance.",
};

export default function Page() {
  return <TextPage title={title} path={paths.budget} html={html} />;
}
