import type { DefaultColorScheme } from "@codegouvfr/react-dsfr/next-app-router";

// Light or dark follows the visitor's system until they choose in « Paramètres d'affichage ».
export const defaultColorScheme: DefaultColorScheme = "system";
