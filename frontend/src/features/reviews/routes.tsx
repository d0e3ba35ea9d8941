import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { ReviewCampaignPage } from "./ReviewCampaignPage";
import { ReviewCampaignsPage } from "./ReviewCampaignsPage";
import { reviewsScreen } from "./screen";
import { campaignSearchSchema, campaignsSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/review-campaigns" });

const list = createRoute({
  getParentRoute: () => base,
  path: "/",
  validateSearch: campaignsSearchSchema,
  component: () => (
    <RequireScreen screen={reviewsScreen}>
      <ReviewCampaignsPage />
    </RequireScreen>
  ),
});

const detail = createRoute({
  getParentRoute: () => base,
  path: "/$campaignId",
  validateSearch: campaignSearchSchema,
  component: () => (
    <RequireScreen screen={reviewsScreen}>
      <ReviewCampaignPage />
    </RequireScreen>
  ),
});

export const reviewsRoutes = [base.addChildren([list, detail])];
