import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout.js';
import { QueuePage } from './pages/queue-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { homePage, SessionProvider, useSession } from './session.js';

// the call view carries the waveform player: loaded when first opened, not with the sign-in page
const CallPage = lazy(() => import('./pages/call-page.js'));
const CallsPage = lazy(() => import('./pages/calls-page.js'));
// evaluation dashboards (#13): each its own chunk; the charts load with the first page that draws one
const DrillDownPage = lazy(() => import('./dashboards/drill-down-page.js'));
const TrendsPage = lazy(() => import('./dashboards/trends-page.js'));
const RankingsPage = lazy(() => import('./dashboards/rankings-page.js'));
const AgentDashboardPage = lazy(() => import('./dashboards/agent-page.js'));
const AlertsPage = lazy(() => import('./dashboards/alerts-page.js'));
const RulesPage = lazy(() => import('./rules/rules-page.js'));
const QuestionsPage = lazy(() => import('./questions/questions-page.js'));
// compliance desk, trainer library and administration: each its own chunk
const ComplianceSection = lazy(() => import('./compliance/compliance-section.js'));
const LibrarySection = lazy(() => import('./library/library-section.js'));
const AdminSection = lazy(() => import('./admin/admin-section.js'));

export function App() {
  return (
    <SessionProvider>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route element={<SignedIn />}>
          <Route path="/queue" element={<QueuePage />} />
          <Route path="/calls" element={<CallsPage />} />
          <Route path="/calls/:id" element={<CallPage />} />
          <Route path="/dashboards" element={<DrillDownPage />} />
          <Route path="/dashboards/trends" element={<TrendsPage />} />
          <Route path="/dashboards/rankings" element={<RankingsPage />} />
          <Route path="/dashboards/agents/:agent" element={<AgentDashboardPage />} />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="/rules" element={<RulesPage />} />
          <Route path="/rules/:key" element={<RulesPage />} />
          <Route path="/questions" element={<QuestionsPage />} />
          <Route path="/questions/:key" element={<QuestionsPage />} />
          <Route path="/compliance/*" element={<ComplianceSection />} />
          <Route path="/library/*" element={<LibrarySection />} />
          <Route path="/admin/*" element={<AdminSection />} />
          <Route path="*" element={<Home />} />
        </Route>
      </Routes>
    </SessionProvider>
  );
}

function SignedIn() {
  const { me, loading } = useSession();
  const location = useLocation();
  // while "who am I" is in flight the page already asks for its own data (with the same cookie), so the two round
  // trips overlap; a visitor without a session is sent to sign in as soon as the answer comes
  if (!me && !loading) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <Suspense fallback={<FullPageLoader />}>
      <Layout />
    </Suspense>
  );
}

function Home() {
  const { pages } = useSession();
  return <Navigate to={homePage(pages)} replace />;
}

export function FullPageLoader() {
  return (
    <Center h="60vh">
      <Loader aria-label="loading" />
    </Center>
  );
}
