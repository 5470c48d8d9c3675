import '@mantine/core/styles.css';
import './console.css';
import { MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app.js';
import { ApiError } from './api.js';
import { setupI18n } from './i18n/index.js';
import { fetchMe, ME } from './session.js';

const theme = createTheme({
  primaryColor: 'indigo',
  // shade 7: white on indigo 6 is 4.3:1, under WCAG AA for normal text
  primaryShade: 7,
  // Noto Sans CJK covers Chinese where the system font does not
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // a 4xx will not change by asking again
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
    },
  },
});

// who is signed in is asked while the strings load, not after
void queryClient.prefetchQuery({ queryKey: ME, queryFn: fetchMe, staleTime: Infinity });
await setupI18n();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
