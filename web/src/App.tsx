import { lazy, Suspense, useEffect } from "react";
import { NavLink, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useSession } from "./lib/session";
import { focusableScrollRegions } from "./lib/scrollRegions";
import { Topbar } from "./components/Topbar";
import { ConnectScreen } from "./screens/ConnectScreen";
import { SignInScreen } from "./screens/SignInScreen";
import { ResetScreen } from "./screens/ResetScreen";
import { Loading } from "./components/States";
import { useMe } from "./api/hooks/accounts";

// Screens load on first visit (ECharts comes with the first screen that draws a chart).
const DataScreen = lazy(() => import("./screens/DataScreen").then((m) => ({ default: m.DataScreen })));
const ModelsScreen = lazy(() => import("./screens/ModelsScreen").then((m) => ({ default: m.ModelsScreen })));
const OverviewScreen = lazy(() => import("./screens/OverviewScreen").then((m) => ({ default: m.OverviewScreen })));
const AllocationScreen = lazy(() => import("./screens/AllocationScreen").then((m) => ({ default: m.AllocationScreen })));
const OptimizerScreen = lazy(() => import("./screens/OptimizerScreen").then((m) => ({ default: m.OptimizerScreen })));
const AttributionScreen = lazy(() => import("./screens/AttributionScreen").then((m) => ({ default: m.AttributionScreen })));
const AccountScreen = lazy(() => import("./screens/AccountScreen").then((m) => ({ default: m.AccountScreen })));
const ComparisonScreen = lazy(() => import("./screens/ComparisonScreen").then((m) => ({ default: m.ComparisonScreen })));
const EffectsScreen = lazy(() => import("./screens/EffectsScreen").then((m) => ({ default: m.EffectsScreen })));
const ConnectorsScreen = lazy(() => import("./screens/ConnectorsScreen").then((m) => ({ default: m.ConnectorsScreen })));
const TimelineScreen = lazy(() => import("./screens/TimelineScreen").then((m) => ({ default: m.TimelineScreen })));

export const SCREENS = [
  { path: "/data", title: "Data", section: "Build" },
  { path: "/models", title: "Models", section: "Build" },
  { path: "/overview", title: "Media Channels Overview", section: "Understand & plan" },
  { path: "/allocation", title: "Channel Budget Allocation", section: "Understand & plan" },
  { path: "/optimizer", title: "Response Curves & Optimizer", section: "Understand & plan" },
  { path: "/comparison", title: "Model Comparison", section: "Understand & plan" },
  { path: "/attribution", title: "Attribution Model Comparison", section: "Understand & plan" },
  { path: "/timeline", title: "Creative Launch Timeline", section: "Understand & plan" },
  { path: "/effects", title: "Channel Effects", section: "Understand & plan" },
  { path: "/account", title: "Plan, Members & Keys", section: "Workspace" },
  { path: "/connectors", title: "Connectors & Schedules", section: "Workspace" },
] as const;

function Sidebar() {
  const sections = ["Build", "Understand & plan", "Workspace"];
  const { pathname } = useLocation();
  // On a phone the navigation is one scrolling row: keep the current screen in view.
  useEffect(() => {
    const active = document.querySelector<HTMLElement>(".nav a.active");
    if (active && typeof active.scrollIntoView === "function") active.scrollIntoView({ block: "nearest", inline: "center" });
  }, [pathname]);
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden>
          m
        </span>
        mixwise
      </div>
      <nav className="nav" aria-label="Screens">
        {sections.map((s) => (
          <div key={s} style={{ display: "contents" }}>
            <div className="nav-section">{s}</div>
            {SCREENS.filter((x) => x.section === s).map((x) => (
              <NavLink key={x.path} to={x.path} className={({ isActive }) => (isActive ? "active" : "")}>
                <span className="nav-num" aria-hidden>
                  {SCREENS.indexOf(x) + 1}
                </span>
                {x.title}
              </NavLink>
            ))}
          </div>
        ))}
      </nav>
    </aside>
  );
}

export function App() {
  const { apiKey } = useSession();
  const me = useMe(!apiKey); // a signed-in session (cookie) when there is no key
  const { pathname } = useLocation();
  useEffect(() => focusableScrollRegions(), []);
  if (pathname === "/reset") return <ResetScreen />;
  if (!apiKey && !me.isSuccess) {
    return me.isLoading ? <Loading what="Checking your sign-in" /> : <SignInScreen />;
  }
  return (
    <div className="layout">
      <Sidebar />
      <div className="main">
        <Topbar />
        <main className="content" id="main">
          <Suspense fallback={<Loading what="Loading the screen" />}>
          <Routes>
            <Route path="/" element={<Navigate to="/overview" replace />} />
            <Route path="/data" element={<DataScreen />} />
            <Route path="/models" element={<ModelsScreen />} />
            <Route path="/overview" element={<OverviewScreen />} />
            <Route path="/allocation" element={<AllocationScreen />} />
            <Route path="/optimizer" element={<OptimizerScreen />} />
            <Route path="/comparison" element={<ComparisonScreen />} />
            <Route path="/attribution" element={<AttributionScreen />} />
            <Route path="/timeline" element={<TimelineScreen />} />
            <Route path="/effects" element={<EffectsScreen />} />
            <Route path="/account" element={<AccountScreen />} />
            <Route path="/connect" element={<ConnectScreen />} />
            <Route path="/connectors" element={<ConnectorsScreen />} />
            <Route path="*" element={<Navigate to="/overview" replace />} />
          </Routes>
          </Suspense>
        </main>
      </div>
    </div>
  );
}
