import { createBrowserRouter } from 'react-router';
import { AnalyzePage } from '../features/analyze/AnalyzePage';
import { Layout } from './Layout';

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [{ index: true, element: <AnalyzePage /> }],
  },
]);
