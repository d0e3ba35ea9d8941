/** Every domain's screens, in menu order. A new domain adds its `screen.tsx` here, its routes in
 * router.tsx and its screen ids to a sidebar section in menu.tsx. */
import { adminAccountsScreen, adminAuditScreen, adminPartnersScreen } from "@/features/admin/screen";
import { adminUnitsScreen } from "@/features/admin-units/screen";
import { commitmentsScreen } from "@/features/commitments/screen";
import { duplicatesScreen } from "@/features/duplicates/screen";
import { entrustmentsScreen } from "@/features/entrustments/screen";
import {
  allocationsScreen,
  financeReportsScreen,
  housingFundScreen,
  ledgerScreen,
  loanExceptionsScreen,
  loansScreen,
} from "@/features/finance/screen";
import { fundingSourcesScreen } from "@/features/funding-sources/screen";
import { householdsScreen } from "@/features/households/screen";
import { importsScreen } from "@/features/imports/screen";
import {
  casesScreen,
  commercialProjectsScreen,
  flagsScreen,
  obligationsScreen,
} from "@/features/inspection/screen";
import { landUsePlansScreen } from "@/features/land-use-plans/screen";
import { applicationsScreen, projectsScreen, roundsScreen } from "@/features/projects/screen";
import { reviewsScreen } from "@/features/reviews/screen";
import { supportCasesScreen } from "@/features/support-cases/screen";
import { conflictsScreen } from "@/features/sync-conflicts/screen";
import type { Screen } from "./screen";

export const SCREENS: readonly Screen[] = [
  householdsScreen,
  reviewsScreen,
  supportCasesScreen,
  projectsScreen,
  applicationsScreen,
  roundsScreen,
  duplicatesScreen,
  importsScreen,
  adminUnitsScreen,
  fundingSourcesScreen,
  commitmentsScreen,
  allocationsScreen,
  ledgerScreen,
  loansScreen,
  loanExceptionsScreen,
  entrustmentsScreen,
  housingFundScreen,
  financeReportsScreen,
  landUsePlansScreen,
  flagsScreen,
  casesScreen,
  obligationsScreen,
  commercialProjectsScreen,
  conflictsScreen,
  adminAccountsScreen,
  adminPartnersScreen,
  adminAuditScreen,
];
