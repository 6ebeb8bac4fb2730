"use client";

import { Link } from "@/components/Link";
import type { ReactNode } from "react";
import { DsfrProviderBase, StartDsfrOnHydration } from "@codegouvfr/react-dsfr/next-app-router";

import { defaultColorScheme } from "./color-scheme";

declare module "@codegouvfr/react-dsfr/next-app-router" {
  interface RegisterLink {
    Link: typeof Link;
  }
}

// Starts the DSFR's own scripts (menus, modals, display settings) once the page is hydrated.
export function DsfrProvider({ children }: { children: ReactNode }) {
  return (
    <DsfrProviderBase lang="fr" Link={Link} defaultColorScheme={defaultColorScheme} doCheckNonce>
      <StartDsfrOnHydration />
      {children}
    </DsfrProviderBase>
  );
}
