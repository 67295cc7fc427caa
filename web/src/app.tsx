import { lazy, Suspense } from 'preact/compat';
import { SignInPage } from './auth/sign-in-page';
import { SignUpPage } from './auth/sign-up-page';
import { PointsPage } from './dashboard/points-page';
import { Loading } from './ui/card';
import { Header, Main } from './ui/layout';

// The admin console and its chart library load only for the admin page.
const AdminPage = lazy(() => import('./admin/admin-page').then((m) => m.AdminPage));

/** The paths Nest serves this app at (API.md, "Operations"). */
export function App() {
  switch (location.pathname.replace(/\/+$/, '')) {
    case '/auth/jwt/sign-up':
      return <SignUpPage />;
    case '/auth/jwt/sign-in':
      return <SignInPage />;
    case '/dashboard/account/points':
      return <PointsPage />;
    case '/dashboard/admin':
      return (
        <Suspense fallback={<Loading />}>
          <AdminPage />
        </Suspense>
      );
    default:
      return (
        <>
          <Header />
          <Main narrow>
            <h1>Page not found</h1>
            <p>
              <a href="/dashboard/account/points">Go to your points</a>
            </p>
          </Main>
        </>
      );
  }
}
