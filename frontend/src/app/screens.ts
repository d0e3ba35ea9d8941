/** Every domain's screens, in menu order. A new domain adds its `screen.tsx` here and its routes in
 * router.tsx. */
import { adminUnitsScreen } from "@/features/admin-units/screen";
import { fundingSourcesScreen } from "@/features/funding-sources/screen";
import { householdsScreen } from "@/features/households/screen";
import { landUsePlansScreen } from "@/features/land-use-plans/screen";
import { supportCasesScreen } from "@/features/support-cases/screen";
import type { Screen } from "./screen";

export const SCREENS: readonly Screen[] = [
  householdsScreen,
  supportCasesScreen,
  adminUnitsScreen,
  fundingSourcesScreen,
  landUsePlansScreen,
];
